import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Snapshot } from '@lab/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaults } from '../src/config.js';
import { LocalBroker } from '../src/kafka/broker.js';
import { createKafka, describeBrokers } from '../src/kafka/client.js';
import { KafkaMonitor } from '../src/kafka/monitor.js';
import type { KafkaSecurity } from '../src/kafka/security.js';
import { createLab, type Lab } from '../src/lab.js';
import { runOn } from './lab-harness.js';
import { startServerProcess } from './server-process.js';

// A managed Kafka service asks for TLS and SASL. A broker of our own plays one: a SASL_SSL listener with a
// certificate this test makes (keytool ships with the Java the broker needs), PLAIN and SCRAM users.
const USER = { username: 'attendee', password: 'kafka-lab-secret' };
const KEYSTORE_PASSWORD = 'keystore-pass';

describe('an external cluster over SASL_SSL', () => {
  let broker: LocalBroker;
  let dir: string;
  let caFile: string;
  let secure: string;
  let ca: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lab-sasl-'));
    const keystorePath = join(dir, 'broker.p12');
    caFile = join(dir, 'ca.pem');
    const store = ['-keystore', keystorePath, '-storetype', 'PKCS12', '-storepass', KEYSTORE_PASSWORD];
    execFileSync('keytool', [
      '-genkeypair',
      '-alias',
      'broker',
      '-keyalg',
      'RSA',
      '-keysize',
      '2048',
      '-validity',
      '2',
      '-dname',
      'CN=localhost',
      '-ext',
      'SAN=ip:127.0.0.1,dns:localhost',
      '-keypass',
      KEYSTORE_PASSWORD,
      ...store,
    ]);
    execFileSync('keytool', ['-exportcert', '-rfc', '-alias', 'broker', '-file', caFile, ...store]);
    ca = readFileSync(caFile, 'utf8');
    broker = await LocalBroker.start({
      dataDir: join(dir, 'kafka'),
      cacheDir: process.env.KAFKA_CACHE_DIR || defaults().KAFKA_CACHE_DIR,
      port: 17092,
      heap: '384m',
      say: () => {},
      secureListener: { port: 17095, keystorePath, keystorePassword: KEYSTORE_PASSWORD, users: [USER] },
    });
    secure = '127.0.0.1:17095';
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)('logs in with SASL %s over TLS', async (mechanism) => {
    const security = { ssl: { ca: [ca] }, sasl: { mechanism, ...USER } } as KafkaSecurity;
    expect(await describeBrokers(createKafka([secure], 'sasl-probe', security))).toEqual([secure]);
  });

  it('runs a whole topology there: admin, sources, services and the observer all use TLS and SASL', async () => {
    const security: KafkaSecurity = { ssl: { ca: [ca] }, sasl: { mechanism: 'scram-sha-256', ...USER } };
    const monitor = new KafkaMonitor([secure], false, security, 500);
    monitor.start();
    const lab: Lab = createLab({
      brokers: [secure],
      security,
      topicPrefix: 'sasl.',
      dataDir: mkdtempSync(join(tmpdir(), 'lab-sasl-data-')),
      kafka: monitor,
      lagIntervalMs: 500,
    });
    try {
      const { app, until, state } = await runOn(lab);
      // End offsets come from the admin client, processed counts from the instances: both over SASL_SSL.
      const produced = (x: Snapshot) => (x.topics.orders?.endOffsets ?? []).reduce((a, b) => a + b, 0);
      await until(
        'events produced and processed over SASL_SSL',
        (x) => (x.nodes.billing?.processed ?? 0) > 20 && produced(x) > 20,
      );
      const s = state();
      expect(s.kafka.status).toBe('up');
      const messages = (await app.inject('/api/topics/orders/messages?limit=5')).json() as unknown[];
      expect(messages.length).toBeGreaterThan(0);
      await app.close();
    } finally {
      await lab.runtime.reset().catch(() => {});
      await lab.close();
      monitor.stop();
    }
  });

  it('says in one line that the credentials were refused, without printing the password', async () => {
    const server = startServerProcess({
      KAFKA_BROKERS: secure,
      KAFKA_SSL_CA_FILE: caFile,
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: USER.username,
      KAFKA_SASL_PASSWORD: 'wrong-password-123',
      KAFKA_WAIT_SECONDS: '3',
    });
    expect((await server.exited).code).toBe(1);
    const errors = server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('Error:'));
    expect(errors).toEqual([
      expect.stringMatching(
        /^Error: Kafka at 127\.0\.0\.1:17095 is unreachable: Kafka refused the credentials of "attendee" .*check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD/,
      ),
    ]);
    expect(server.output()).not.toContain('wrong-password-123');
  });

  it('says that the certificate is not trusted when no CA is given', async () => {
    const server = startServerProcess({
      KAFKA_BROKERS: secure,
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'PLAIN',
      KAFKA_SASL_USERNAME: USER.username,
      KAFKA_SASL_PASSWORD: USER.password,
      KAFKA_WAIT_SECONDS: '3',
    });
    expect((await server.exited).code).toBe(1);
    expect(server.output()).toMatch(
      /^Error: Kafka at 127\.0\.0\.1:17095 is unreachable: the TLS handshake failed .*KAFKA_SSL_CA_FILE/m,
    );
  });
});
