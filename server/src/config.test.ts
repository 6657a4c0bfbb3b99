import { describe, expect, it } from 'vitest';
import { isLoopback, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has safe defaults: loopback, port 3000, Kafka on 9092, prefix lab.', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 3000,
      KAFKA_PORT: 9092,
      TOPIC_PREFIX: 'lab.',
      portIsExplicit: false,
    });
    expect(config.KAFKA_BROKERS).toBeUndefined();
  });

  it('reads a classroom: on/off, and a stuck time in minutes that may be a fraction', () => {
    expect(loadConfig({ CLASSROOM: '1', CLASSROOM_STUCK_MINUTES: '0.5' })).toMatchObject({
      CLASSROOM: true,
      CLASSROOM_STUCK_MINUTES: 0.5,
      CLASSROOM_MAX_ATTENDEES: 30,
    });
    expect(loadConfig({ CLASSROOM: 'false' }).CLASSROOM).toBe(false);
  });

  it('reads numbers and lists from strings', () => {
    const config = loadConfig({ PORT: '8080', KAFKA_BROKERS: 'a:9092,b:9093' });
    expect(config).toMatchObject({ PORT: 8080, KAFKA_BROKERS: 'a:9092,b:9093', portIsExplicit: true });
  });

  it.each([
    [{ PORT: '70000' }, /^Invalid configuration: PORT="70000" \(HTTP port of the lab/],
    [{ KAFKA_BROKERS: 'localhost' }, /^Invalid configuration: KAFKA_BROKERS="localhost" \(host:port/],
    [{ KAFKA_HEAP: 'lots' }, /^Invalid configuration: KAFKA_HEAP="lots"/],
    [{ TOPIC_PREFIX: 'bad prefix' }, /^Invalid configuration: TOPIC_PREFIX="bad prefix"/],
    [{ LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL="loud"/],
    [{ INSTANCE_THREADS: '0' }, /^Invalid configuration: INSTANCE_THREADS="0" \(host threads the instances share/],
    [{ INSTANCE_THREADS: 'many' }, /^Invalid configuration: INSTANCE_THREADS="many"/],
    [{ KAFKA_SSL: 'maybe' }, /^Invalid configuration: KAFKA_SSL="maybe" \(TLS to KAFKA_BROKERS/],
    [{ KAFKA_SASL_MECHANISM: 'GSSAPI' }, /^Invalid configuration: KAFKA_SASL_MECHANISM="GSSAPI" \(SASL mechanism/],
    [{ CLASSROOM: 'yes' }, /^Invalid configuration: CLASSROOM="yes" \(classroom mode/],
    [
      { CLASSROOM_STUCK_MINUTES: '0' },
      /^Invalid configuration: CLASSROOM_STUCK_MINUTES="0" \(the dashboard highlights/,
    ],
    [{ CLASSROOM_ATTENDEE_INSTANCES: '41' }, /^Invalid configuration: CLASSROOM_ATTENDEE_INSTANCES="41"/],
    [
      { CLASSROOM: '1', CLASSROOM_MAX_ATTENDEES: '40' },
      /^Invalid configuration: CLASSROOM_MAX_ATTENDEES=40 is more than MAX_WORKSPACES=30: each attendee needs a workspace/,
    ],
  ])('names the bad variable: %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('names a bad ACCESS_TOKEN without printing it', () => {
    expect(() => loadConfig({ ACCESS_TOKEN: 'short-secret' })).toThrow(
      'Invalid configuration: ACCESS_TOKEN (hidden, 12 characters) (token required when HOST is not loopback (generated when unset)): must not have fewer than 16 characters.',
    );
    try {
      loadConfig({ ACCESS_TOKEN: 'short-secret' });
    } catch (err) {
      expect(String(err)).not.toContain('short-secret');
    }
  });

  it('reads the TLS and SASL settings of an existing cluster, names case-insensitive', () => {
    const config = loadConfig({ KAFKA_BROKERS: 'k:9093', KAFKA_SSL: 'TRUE', KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512' });
    expect(config).toMatchObject({ KAFKA_SSL: true, KAFKA_SASL_MECHANISM: 'scram-sha-512' });
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', 'localhost', '::1', '127.0.0.2'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '192.168.1.4', '::'].some(isLoopback)).toBe(false);
  });
});
