import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// No Docker engine runs where this project is built, so the compose file is kept honest by reading it.
const compose = parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8'));
const kafkaVersion = /<kafka\.version>([^<]+)</.exec(
  readFileSync(new URL('../server/kafka-dist/pom.xml', import.meta.url), 'utf8'),
)?.[1];

describe('docker-compose.yml', () => {
  const kafka = compose.services.kafka;
  const env: Record<string, unknown> = kafka.environment;

  it('runs the official image, pinned to the same Kafka 4.x as the local broker', () => {
    expect(kafka.image).toBe(`apache/kafka:${kafkaVersion}`);
    expect(kafkaVersion).toMatch(/^4\.\d+\.\d+$/);
  });

  it('sets every variable a single KRaft node needs, explicitly', () => {
    for (const key of [
      'CLUSTER_ID',
      'KAFKA_NODE_ID',
      'KAFKA_PROCESS_ROLES',
      'KAFKA_CONTROLLER_QUORUM_VOTERS',
      'KAFKA_LISTENERS',
      'KAFKA_ADVERTISED_LISTENERS',
      'KAFKA_CONTROLLER_LISTENER_NAMES',
      'KAFKA_INTER_BROKER_LISTENER_NAME',
      'KAFKA_LISTENER_SECURITY_PROTOCOL_MAP',
      'KAFKA_LOG_DIRS',
    ]) {
      expect(env[key], key).toBeDefined();
    }
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(String(env.CLUSTER_ID)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(`${env.KAFKA_NODE_ID}@kafka:9093`);
  });

  it('keeps listeners consistent: every listener has a protocol, the controller is not advertised', () => {
    const names = (value: unknown) =>
      String(value)
        .split(',')
        .map((l) => l.split('://')[0]);
    const protocols = String(env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP)
      .split(',')
      .map((p) => p.split(':')[0]);
    for (const name of names(env.KAFKA_LISTENERS)) expect(protocols).toContain(name);
    expect(names(env.KAFKA_LISTENERS)).toContain(env.KAFKA_CONTROLLER_LISTENER_NAMES);
    expect(names(env.KAFKA_ADVERTISED_LISTENERS)).not.toContain(env.KAFKA_CONTROLLER_LISTENER_NAMES);
    expect(names(env.KAFKA_ADVERTISED_LISTENERS)).toContain(env.KAFKA_INTER_BROKER_LISTENER_NAME);
  });

  it('puts every internal topic at replication factor 1', () => {
    for (const key of [
      'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR',
      'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR',
      'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR',
      'KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR',
      'KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR',
    ]) {
      expect(env[key], key).toBe(1);
    }
  });

  it('points the lab at that broker with KAFKA_BROKERS, published on loopback only', () => {
    const lab = compose.services.lab;
    const plaintext = String(env.KAFKA_ADVERTISED_LISTENERS)
      .split(',')
      .find((l) => l.startsWith(`${env.KAFKA_INTER_BROKER_LISTENER_NAME}://`));
    expect(`PLAINTEXT://${lab.environment.KAFKA_BROKERS}`).toBe(plaintext);
    expect(lab.depends_on.kafka.condition).toBe('service_healthy');
    for (const port of [...lab.ports, ...kafka.ports]) expect(port).toMatch(/^127\.0\.0\.1:/);
  });
});
