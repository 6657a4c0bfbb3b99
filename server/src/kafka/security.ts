import { readFileSync } from 'node:fs';
import { StartupError } from '../errors.js';

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';
/** One credential per mechanism, as kafkajs takes them. */
type SaslCredentials = { [M in SaslMechanism]: { mechanism: M; username: string; password: string } }[SaslMechanism];

/**
 * How to reach a cluster that is not the lab's own: TLS and SASL, as a managed Kafka service asks for.
 * Plain data (no client objects) so it can cross into the instances' worker threads; every Kafka client the
 * lab makes (admin, monitor, observer, instances) gets the same settings through `createKafka`.
 */
export interface KafkaSecurity {
  /** TLS to the brokers. `true` trusts the system's CAs; `ca` adds the given PEM certificates. */
  ssl?: true | { ca: string[] };
  sasl?: SaslCredentials;
}

export interface SecurityEnv {
  KAFKA_BROKERS?: string;
  KAFKA_SSL?: boolean;
  KAFKA_SSL_CA_FILE?: string;
  KAFKA_SASL_MECHANISM?: SaslMechanism;
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
}

/**
 * The security settings named by the environment, checked as a whole: every mistake is one line that names
 * the variable (never its secret value). Undefined when nothing is set: plain text, as the local broker speaks.
 */
export function securityFromEnv(env: SecurityEnv): KafkaSecurity | undefined {
  const named = (
    ['KAFKA_SSL', 'KAFKA_SSL_CA_FILE', 'KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const
  ).filter((key) => env[key] !== undefined);
  if (named.length === 0) return undefined;
  if (!env.KAFKA_BROKERS) {
    throw new StartupError(
      `${named.join(', ')} apply to an existing cluster: set KAFKA_BROKERS too (the lab's own broker speaks plain text on 127.0.0.1).`,
    );
  }
  const security: KafkaSecurity = {};
  if (env.KAFKA_SSL_CA_FILE) {
    security.ssl = { ca: [readCa(env.KAFKA_SSL_CA_FILE)] };
  } else if (env.KAFKA_SSL) {
    security.ssl = true;
  }
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = env;
  if (mechanism || username || password) {
    if (!mechanism)
      throw new StartupError(
        'KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD need KAFKA_SASL_MECHANISM (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512).',
      );
    if (!username) throw new StartupError(`KAFKA_SASL_MECHANISM=${mechanism.toUpperCase()} needs KAFKA_SASL_USERNAME.`);
    if (!password) throw new StartupError(`KAFKA_SASL_MECHANISM=${mechanism.toUpperCase()} needs KAFKA_SASL_PASSWORD.`);
    security.sasl = { mechanism, username, password } as SaslCredentials;
  }
  return security;
}

function readCa(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new StartupError(
      `KAFKA_SSL_CA_FILE: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)}).`,
    );
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new StartupError(`KAFKA_SSL_CA_FILE: ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`);
  }
  return text;
}

/**
 * Kafka's answer in the user's words: wrong credentials and an untrusted certificate are the likeliest
 * mistakes with a managed cluster, and kafkajs words them for its own developers.
 */
export function explainConnectionError(message: string, security: KafkaSecurity | undefined): string {
  if (/SASL .*authentication failed|Authentication failed|SaslAuthenticate/i.test(message)) {
    return `Kafka refused the credentials of "${security?.sasl?.username ?? ''}" (${message}): check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM`;
  }
  if (/certificate|self[- ]signed|SSL|TLS|EPROTO/i.test(message)) {
    return `the TLS handshake failed (${message}): check KAFKA_SSL and KAFKA_SSL_CA_FILE`;
  }
  return message;
}
