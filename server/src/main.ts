import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.js';
import { Room } from './classroom/room.js';
import { type Config, isLoopback, loadConfig } from './config.js';
import { StartupError } from './errors.js';
import { LocalBroker } from './kafka/broker.js';
import { KafkaClients } from './kafka/clients.js';
import { LocalCluster } from './kafka/cluster.js';
import { KafkaMonitor } from './kafka/monitor.js';
import { securityFromEnv } from './kafka/security.js';
import { createLab, type Lab } from './lab.js';
import { findFreePort } from './net.js';
import { traceCapacityFor } from './telemetry/traces.js';
import { Workspaces } from './workspaces/workspaces.js';

const WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));
const say = (line: string) => console.log(line);

/** The brokers this process started (none with KAFKA_BROKERS; three in cluster mode). */
let brokers: LocalBroker[] = [];
let shutdown: ((code: number) => Promise<void>) | undefined;

async function main() {
  const config = loadConfig(process.env);
  // Beyond loopback anyone on the network could drive the lab: a token is then required on every request.
  // A classroom always has one: it is the instructor's, and attendees join with the room code instead.
  const room = config.CLASSROOM ? new Room({ maxAttendees: config.CLASSROOM_MAX_ATTENDEES }) : undefined;
  const accessToken =
    isLoopback(config.HOST) && !room ? undefined : (config.ACCESS_TOKEN ?? randomBytes(18).toString('base64url'));

  const security = securityFromEnv(config);
  const managed = !config.KAFKA_BROKERS;
  if (managed) {
    const options = { cacheDir: config.KAFKA_CACHE_DIR, port: config.KAFKA_PORT, heap: config.KAFKA_HEAP, say };
    brokers =
      config.KAFKA_CLUSTER_SIZE === 1
        ? [await LocalBroker.start({ ...options, dataDir: join(config.LAB_DATA_DIR, 'kafka') })]
        : (
            await LocalCluster.start(
              { ...options, dataDir: join(config.LAB_DATA_DIR, 'kafka-cluster') },
              config.KAFKA_CLUSTER_SIZE,
            )
          ).nodes;
    for (const broker of brokers) keepBrokerAlive(broker);
  } else {
    const how = [
      security?.ssl && 'TLS',
      security?.sasl && `SASL ${security.sasl.mechanism.toUpperCase()} as ${security.sasl.username}`,
    ];
    const over = how.filter(Boolean).join(', ');
    say(
      `Kafka: using the existing cluster at ${config.KAFKA_BROKERS}${over ? ` over ${over}` : ''} (no local broker started).`,
    );
  }
  const bootstrap = managed ? brokers.map((b) => b.bootstrap) : (config.KAFKA_BROKERS ?? '').split(',');
  const monitor = new KafkaMonitor(bootstrap, managed, security);
  if (!managed) await waitForExistingCluster(monitor, config.KAFKA_WAIT_SECONDS * 1000);
  monitor.start();

  const clients = new KafkaClients(bootstrap, security);
  const shared = { brokers: bootstrap, security, kafka: monitor, clients };
  const lab: Lab = createLab({
    ...shared,
    topicPrefix: config.TOPIC_PREFIX,
    dataDir: config.LAB_DATA_DIR,
    serverRoom: () => workspaces.roomFor(lab),
  });
  const workspaces = new Workspaces({
    defaultLab: lab,
    ownsDefaultLab: true,
    // In a classroom every named workspace is an attendee's: each gets a fair share, not the whole lab quota.
    createLab: (namespace) =>
      createLab({
        ...shared,
        ...namespace,
        keepRecordings: 5,
        traceCapacity: traceCapacityFor(config.MAX_WORKSPACES),
        ...(room
          ? { maxInstances: config.CLASSROOM_ATTENDEE_INSTANCES, maxRatePerSec: config.CLASSROOM_ATTENDEE_RATE }
          : {}),
      }),
    topicPrefix: config.TOPIC_PREFIX,
    dataDir: config.LAB_DATA_DIR,
    max: config.MAX_WORKSPACES,
    idleMs: config.WORKSPACE_IDLE_MINUTES * 60_000,
    maxInstances: config.SERVER_MAX_INSTANCES,
    onEvicted: (name, outcome) =>
      say(`Workspace ${name} evicted after ${config.WORKSPACE_IDLE_MINUTES} idle minutes: ${outcome}.`),
  });
  const joinUrls: string[] = [];
  const app = await buildApp({
    lab,
    workspaces,
    kafka: { clients, monitor },
    loopbackOnly: isLoopback(config.HOST),
    ...(room ? { classroom: { room, joinUrls, stuckMinutes: config.CLASSROOM_STUCK_MINUTES } } : {}),
    webRoot: WEB_ROOT,
    logLevel: config.LOG_LEVEL,
    accessToken,
    sourceMaps: process.env.LAB_SOURCE_MAPS === '1',
  });
  const port = await choosePort(config);
  await app.listen({ port, host: config.HOST });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  if (room && accessToken) {
    joinUrls.push(...addressesOf(config.HOST).map((host) => `http://${host}:${actualPort}`));
    say(
      `Lab ready: http://${urlHost(config.HOST)}:${actualPort}/classroom?token=${accessToken} (the instructor's dashboard: keep this URL to yourself)`,
    );
    say(`Classroom: room code ${room.code}, at most ${room.maxAttendees} attendees. Attendees join at:`);
    for (const url of joinUrls) say(`  ${url}/join?code=${room.code}`);
  } else say(`Lab ready: http://${config.HOST}:${actualPort}${accessToken ? `/?token=${accessToken}` : ''}`);

  shutdown = async (code: number) => {
    shutdown = undefined; // a second Ctrl-C while stopping should not start a second shutdown
    // Fastify closes the workspaces (their instances leave their groups), then the Kafka clients and monitor;
    // the broker goes last: a clean stop, not a crash.
    await app.close().catch(() => {});
    await stopBrokers();
    process.exit(code);
  };
}

/**
 * A cluster named by KAFKA_BROKERS must answer at start-up: a typo there is the likeliest mistake, and a lab
 * that starts against nothing only confuses. Once running, Kafka going away is shown, not fatal.
 */
async function waitForExistingCluster(monitor: KafkaMonitor, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await monitor.check();
    if (state.status === 'up') return;
    if (Date.now() > deadline) {
      throw new StartupError(
        `${state.error ?? 'Kafka is unreachable'} (tried for ${timeoutMs / 1000} s; check KAFKA_BROKERS).`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * The lab's broker dying is an event the lab survives: the server stays up (and shows Kafka down), and
 * the broker is started again on the same ports a second later, at most five times in five minutes.
 */
function keepBrokerAlive(local: LocalBroker) {
  const restarts: number[] = [];
  local.on('exit', (code, signal) => {
    console.error(
      `Kafka broker exited unexpectedly (${signal ?? `code ${code}`}); see ${local.logPath}: ${local.logTail(3)}`,
    );
    const now = Date.now();
    while (restarts.length && now - restarts[0]! > 5 * 60_000) restarts.shift();
    if (restarts.length >= 5) {
      console.error(
        'Kafka broker died five times in five minutes: not restarting it. Restart the lab when it is fixed.',
      );
      return;
    }
    restarts.push(now);
    setTimeout(() => {
      local
        .restart()
        .then(() => say(`Kafka broker restarted on ${local.bootstrap}.`))
        .catch((err) =>
          console.error(`Kafka broker could not restart: ${err instanceof Error ? err.message : String(err)}`),
        );
    }, 1_000);
  });
}

/** Where attendees reach the server: every IPv4 address of the machine when bound to all interfaces. */
function addressesOf(host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [urlHost(host)];
  const external = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
  return external.length ? external : ['127.0.0.1'];
}

const urlHost = (host: string) =>
  host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

async function choosePort(config: Config & { portIsExplicit: boolean }): Promise<number> {
  if (config.PORT === 0 || config.portIsExplicit) return config.PORT;
  const port = await findFreePort(config.PORT, 20, config.HOST);
  if (port !== config.PORT) say(`Port ${config.PORT} is taken, using ${port} instead (set PORT to choose).`);
  return port;
}

function stopBrokers(): Promise<unknown> {
  return Promise.all(brokers.map((b) => b.stop()));
}

async function stopBrokerAndExit(code: number): Promise<never> {
  await stopBrokers().catch(() => {});
  process.exit(code);
}

async function fail(err: unknown): Promise<never> {
  if (err instanceof StartupError) console.error(`Error: ${err.message}`);
  else if ((err as NodeJS.ErrnoException)?.code === 'EADDRINUSE') {
    console.error(
      `Error: the lab's port is taken (${(err as Error).message}); set PORT to another port or stop what uses it.`,
    );
  } else console.error(err);
  return stopBrokerAndExit(1);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (shutdown) return void shutdown(0);
    // Before the server is up there is only the broker to stop.
    void stopBrokerAndExit(0);
  });
}
process.on('uncaughtException', (err) => void fail(err));
process.on('unhandledRejection', (err) => void fail(err));

main().catch(fail);
