import { homedir } from 'node:os';
import { join } from 'node:path';
import Type from 'typebox';
import Compile from 'typebox/compile';
import { StartupError } from './errors.js';

/**
 * Every environment variable the server reads, checked at start-up. README's "Configuration" lists the same.
 * Values arrive as strings; numbers are converted before the check, so a bad value is named in the error.
 */
const Env = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, description: 'HTTP port of the lab (0 = any free port)' }),
  HOST: Type.String({ minLength: 1, description: 'interface to bind' }),
  ACCESS_TOKEN: Type.Optional(
    Type.String({ minLength: 16, description: 'token required when HOST is not loopback (generated when unset)' }),
  ),
  KAFKA_BROKERS: Type.Optional(
    Type.String({
      pattern: '^[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*$',
      description: 'host:port[,host:port…] of an existing cluster',
    }),
  ),
  KAFKA_SSL: Type.Optional(Type.Boolean({ description: 'TLS to KAFKA_BROKERS: true or false' })),
  KAFKA_SSL_CA_FILE: Type.Optional(
    Type.String({
      minLength: 1,
      description: "PEM file of the CA that signed KAFKA_BROKERS' certificates (implies KAFKA_SSL)",
    }),
  ),
  KAFKA_SASL_MECHANISM: Type.Optional(
    Type.Enum(['plain', 'scram-sha-256', 'scram-sha-512'], {
      description: 'SASL mechanism for KAFKA_BROKERS: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512',
    }),
  ),
  KAFKA_SASL_USERNAME: Type.Optional(Type.String({ minLength: 1, description: 'SASL user name' })),
  KAFKA_SASL_PASSWORD: Type.Optional(Type.String({ minLength: 1, description: 'SASL password' })),
  KAFKA_PORT: Type.Integer({ minimum: 1, maximum: 65535, description: 'preferred port of the local broker' }),
  KAFKA_WAIT_SECONDS: Type.Integer({
    minimum: 1,
    maximum: 600,
    description: 'how long start-up waits for KAFKA_BROKERS to answer',
  }),
  KAFKA_CLUSTER_SIZE: Type.Union([Type.Literal(1), Type.Literal(3)], {
    description: 'local brokers to run: 1, or 3 for a replicated cluster (RF 3, min.insync.replicas 2)',
  }),
  KAFKA_HEAP: Type.String({ pattern: '^\\d+[mMgG]$', description: 'JVM heap of the local broker, e.g. 512m' }),
  LAB_DATA_DIR: Type.String({ minLength: 1, description: 'saved topology and the local broker data' }),
  KAFKA_CACHE_DIR: Type.String({ minLength: 1, description: "where Kafka's jars are cached" }),
  TOPIC_PREFIX: Type.String({
    pattern: '^[a-zA-Z0-9._-]{1,40}$',
    description: 'namespace of the lab topics and groups',
  }),
  MAX_WORKSPACES: Type.Integer({
    minimum: 0,
    maximum: 500,
    description: 'named workspaces (/w/<name>/) the server hosts at once; 0 serves the default lab only',
  }),
  WORKSPACE_IDLE_MINUTES: Type.Integer({
    minimum: 0,
    maximum: 10_080,
    description: 'a named workspace unused this long is evicted and its topics deleted; 0 never',
  }),
  SERVER_MAX_INSTANCES: Type.Integer({
    minimum: 1,
    maximum: 2_000,
    description: 'service instances and sources running at once on the server, all workspaces together',
  }),
  CLASSROOM: Type.Boolean({
    description: 'classroom mode: an instructor URL (with its token) and a join URL with a room code; 1 or 0',
  }),
  CLASSROOM_MAX_ATTENDEES: Type.Integer({
    minimum: 1,
    maximum: 500,
    description: 'attendees one room takes at most (each gets a workspace: at most MAX_WORKSPACES)',
  }),
  CLASSROOM_ATTENDEE_INSTANCES: Type.Integer({
    minimum: 1,
    maximum: 40,
    description: "service instances and sources one attendee's lab runs at once",
  }),
  CLASSROOM_ATTENDEE_RATE: Type.Integer({
    minimum: 1,
    maximum: 10_000,
    description: "source events per second of one attendee's sources together",
  }),
  CLASSROOM_STUCK_MINUTES: Type.Number({
    minimum: 0.1,
    maximum: 600,
    description: 'the dashboard highlights an attendee on one step longer than this',
  }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    description: 'server log level',
  }),
  INSTANCE_THREADS: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 64,
      description: "host threads the instances share (default: the machine's cores, at least 2)",
    }),
  ),
});
export type Config = Type.Static<typeof Env>;

const check = Compile(Env);
const NUMBERS = [
  'PORT',
  'KAFKA_PORT',
  'KAFKA_WAIT_SECONDS',
  'KAFKA_CLUSTER_SIZE',
  'MAX_WORKSPACES',
  'WORKSPACE_IDLE_MINUTES',
  'SERVER_MAX_INSTANCES',
  'CLASSROOM_MAX_ATTENDEES',
  'CLASSROOM_ATTENDEE_INSTANCES',
  'CLASSROOM_ATTENDEE_RATE',
  'INSTANCE_THREADS',
] as const;
const BOOLEANS = ['KAFKA_SSL', 'CLASSROOM'];
/** Variables whose value an error message must never print. */
const SECRETS: readonly string[] = ['ACCESS_TOKEN', 'KAFKA_SASL_PASSWORD'];

/** Strings as the schema wants them: numbers, booleans, and names that are case-insensitive. */
function parse(key: string, value: string): unknown {
  if ((NUMBERS as readonly string[]).includes(key) && /^\d+$/.test(value)) return Number(value);
  if (key === 'CLASSROOM_STUCK_MINUTES' && /^\d+(\.\d+)?$/.test(value)) return Number(value);
  if (BOOLEANS.includes(key) && /^(true|1|false|0)$/i.test(value)) return /^(true|1)$/i.test(value);
  if (key === 'KAFKA_SASL_MECHANISM') return value.toLowerCase();
  return value;
}

export function defaults(): Config {
  const home = join(homedir(), '.kafka-lab');
  return {
    PORT: 3000,
    HOST: '127.0.0.1',
    KAFKA_PORT: 9092,
    KAFKA_WAIT_SECONDS: 15,
    KAFKA_CLUSTER_SIZE: 1,
    KAFKA_HEAP: '512m',
    LAB_DATA_DIR: home,
    KAFKA_CACHE_DIR: join(home, 'jars'),
    TOPIC_PREFIX: 'lab.',
    MAX_WORKSPACES: 30,
    WORKSPACE_IDLE_MINUTES: 120,
    SERVER_MAX_INSTANCES: 300,
    CLASSROOM: false,
    CLASSROOM_MAX_ATTENDEES: 30,
    CLASSROOM_ATTENDEE_INSTANCES: 12,
    CLASSROOM_ATTENDEE_RATE: 500,
    CLASSROOM_STUCK_MINUTES: 5,
    LOG_LEVEL: 'warn',
  };
}

/** Reads the config from the environment or throws one line naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): Config & { portIsExplicit: boolean } {
  const raw: Record<string, unknown> = { ...defaults() };
  for (const key of Object.keys(Env.properties)) {
    const value = env[key];
    if (value === undefined || value === '') continue;
    raw[key] = parse(key, value);
  }
  const [first] = check.Errors(raw);
  if (first) {
    const name = first.instancePath.replace(/^\//, '');
    const schema = (Env.properties as Record<string, { description?: string }>)[name];
    const about = schema?.description ? ` (${schema.description})` : '';
    const value = SECRETS.includes(name)
      ? ` (hidden, ${String(env[name]).length} characters)`
      : `=${JSON.stringify(env[name])}`;
    throw new StartupError(`Invalid configuration: ${name}${value}${about}: ${first.message}.`);
  }
  const config = raw as Config;
  if (config.CLASSROOM && config.CLASSROOM_MAX_ATTENDEES > config.MAX_WORKSPACES)
    throw new StartupError(
      `Invalid configuration: CLASSROOM_MAX_ATTENDEES=${config.CLASSROOM_MAX_ATTENDEES} is more than MAX_WORKSPACES=${config.MAX_WORKSPACES}: each attendee needs a workspace; raise MAX_WORKSPACES or lower CLASSROOM_MAX_ATTENDEES.`,
    );
  return { ...config, portIsExplicit: Boolean(env.PORT) };
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host.startsWith('127.');
}
