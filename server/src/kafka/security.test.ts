import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainConnectionError, securityFromEnv } from './security.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const brokers = { KAFKA_BROKERS: 'kafka.example:9093' };

describe('securityFromEnv', () => {
  it('is plain text when nothing is set', () => {
    expect(securityFromEnv(brokers)).toBeUndefined();
  });

  it('turns on TLS with the system CAs, or with a CA file', () => {
    expect(securityFromEnv({ ...brokers, KAFKA_SSL: true })).toEqual({ ssl: true });
    const ca = join(mkdtempSync(join(tmpdir(), 'lab-ca-')), 'ca.pem');
    writeFileSync(ca, PEM);
    expect(securityFromEnv({ ...brokers, KAFKA_SSL_CA_FILE: ca })).toEqual({ ssl: { ca: [PEM] } });
  });

  it('takes SASL with its mechanism, user name and password', () => {
    const env = {
      ...brokers,
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'alice',
      KAFKA_SASL_PASSWORD: 's3cret',
    } as const;
    expect(securityFromEnv(env)).toEqual({ sasl: { mechanism: 'plain', username: 'alice', password: 's3cret' } });
  });

  it.each([
    [{ KAFKA_SSL: true }, /^KAFKA_SSL apply to an existing cluster: set KAFKA_BROKERS too/],
    [{ ...brokers, KAFKA_SASL_USERNAME: 'alice', KAFKA_SASL_PASSWORD: 'x' }, /need KAFKA_SASL_MECHANISM/],
    [
      { ...brokers, KAFKA_SASL_MECHANISM: 'scram-sha-256' as const, KAFKA_SASL_PASSWORD: 'x' },
      /SCRAM-SHA-256 needs KAFKA_SASL_USERNAME/,
    ],
    [
      { ...brokers, KAFKA_SASL_MECHANISM: 'plain' as const, KAFKA_SASL_USERNAME: 'alice' },
      /PLAIN needs KAFKA_SASL_PASSWORD/,
    ],
    [
      { ...brokers, KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem' },
      /^KAFKA_SSL_CA_FILE: cannot read \/nonexistent\/ca.pem \(ENOENT\)/,
    ],
  ])('names the mistake: %o', (env, message) => {
    expect(() => securityFromEnv(env)).toThrow(message);
  });

  it('refuses a CA file that holds no certificate', () => {
    const ca = join(mkdtempSync(join(tmpdir(), 'lab-ca-')), 'ca.pem');
    writeFileSync(ca, 'not a certificate');
    expect(() => securityFromEnv({ ...brokers, KAFKA_SSL_CA_FILE: ca })).toThrow(/holds no PEM certificate/);
  });
});

describe('explainConnectionError', () => {
  it('names the variables to check for refused credentials and untrusted certificates', () => {
    const sasl = { sasl: { mechanism: 'plain' as const, username: 'alice', password: 'p' } };
    expect(explainConnectionError('SASL PLAIN authentication failed: Authentication failed', sasl)).toMatch(
      /^Kafka refused the credentials of "alice" .*check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD/,
    );
    expect(explainConnectionError('self-signed certificate', { ssl: true })).toMatch(
      /TLS handshake failed .*KAFKA_SSL_CA_FILE/,
    );
    expect(explainConnectionError('Connection timeout', undefined)).toBe('Connection timeout');
  });
});
