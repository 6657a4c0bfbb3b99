import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StartupError } from '../errors.js';
import { findFreePort } from '../net.js';
import { createKafka, describeBrokers } from './client.js';
import { newClusterId } from './cluster-id.js';
import { ensureKafkaJars } from './jars.js';
import { findJava } from './java.js';

export interface LocalBrokerOptions {
  /** Folder for this broker's properties, data (`kraft/`) and logs (`logs/broker.log`). */
  dataDir: string;
  /** Where Kafka's jars are cached (shared by every data dir). */
  cacheDir: string;
  /** Preferred client port; the next free one is used when it is taken. */
  port: number;
  heap: string;
  say: (line: string) => void;
  /** How long the JVM may take to answer its first Metadata request. */
  readyTimeoutMs?: number;
  /** One node of a multi-node cluster: its id, fixed ports, the shared voters and cluster id. */
  member?: ClusterMember;
  /**
   * Let a first produce to an unknown topic create it, as Kafka does by default: `npm run kafka` serves other
   * tools (kcat, scripts). The lab itself keeps it off and creates its topics, so a typo never makes one.
   */
  autoCreateTopics?: boolean;
  /** A second, secured listener: how the tests play a managed Kafka service that asks for TLS and SASL. */
  secureListener?: SecureListener;
}

/** A SASL_SSL listener taking PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 logins of the given users. */
export interface SecureListener {
  port: number;
  /** PKCS12 key store holding the broker's key and certificate. */
  keystorePath: string;
  keystorePassword: string;
  users: { username: string; password: string }[];
}

export interface ClusterMember {
  nodeId: number;
  controllerPort: number;
  /** `1@127.0.0.1:port,2@…`: every controller of the cluster. */
  voters: string;
  clusterId: string;
  /** Replication factor for topics and Kafka's internal topics; min.insync.replicas is one less (at least 1). */
  replication: number;
}

/**
 * A single-node KRaft Kafka (broker + controller in one JVM) run from Maven Central's jars.
 * It dies with the server: on Linux through the kernel's parent-death signal (setpriv --pdeathsig), so even
 * a SIGKILL of the server leaves no orphan JVM; elsewhere through stop() on every exit path of main.
 * Emits 'exit' (code, signal) when the JVM ends without stop() being called.
 */
export class LocalBroker extends EventEmitter {
  private jvm: ChildProcess | undefined;
  private stopping = false;
  private launch: (() => void) | undefined;

  private constructor(
    readonly bootstrap: string,
    readonly logPath: string,
    readonly pidPath: string,
    readonly version: string,
  ) {
    super();
  }

  static async start(options: LocalBrokerOptions): Promise<LocalBroker> {
    const { dataDir, say } = options;
    const java = findJava();
    const dist = await ensureKafkaJars(options.cacheDir, say);
    const { member } = options;
    // A cluster's ports are chosen by the cluster (every node must know every controller); a single node
    // takes the preferred port or the next free one.
    const port = member ? options.port : await findFreePort(options.port);
    if (port !== options.port) say(`Kafka: port ${options.port} is taken, using ${port} instead.`);
    const controllerPort = member ? member.controllerPort : await findFreePort(port + 1);
    const nodeId = member?.nodeId ?? 1;

    const logsDir = join(dataDir, 'logs');
    const kraftDir = join(dataDir, 'kraft');
    mkdirSync(logsDir, { recursive: true });
    const propsPath = join(dataDir, 'server.properties');
    writeFileSync(
      propsPath,
      brokerProperties({
        port,
        controllerPort,
        kraftDir,
        nodeId,
        voters: member?.voters ?? `1@127.0.0.1:${controllerPort}`,
        replication: member?.replication ?? 1,
        autoCreateTopics: options.autoCreateTopics ?? false,
        secure: options.secureListener,
      }),
    );
    const log4jPath = join(dataDir, 'log4j2.xml');
    const logPath = join(logsDir, 'broker.log');
    writeFileSync(log4jPath, log4jConfig(logPath));

    const classpath = join(dist.libs, '*');
    if (!existsSync(join(kraftDir, 'meta.properties'))) {
      rmSync(kraftDir, { recursive: true, force: true });
      const format = spawnSync(
        java.command,
        [
          '-cp',
          classpath,
          `-Dlog4j2.configurationFile=${log4jPath}`,
          'kafka.tools.StorageTool',
          'format',
          '-t',
          member?.clusterId ?? newClusterId(),
          '-c',
          propsPath,
          // SCRAM credentials live in the cluster's metadata, so a KRaft node gets them when it is formatted.
          ...(options.secureListener?.users ?? []).flatMap((u) =>
            ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((m) => [
              '--add-scram',
              `${m}=[name=${u.username},password=${u.password}]`,
            ]),
          ),
        ],
        { encoding: 'utf8' },
      );
      if (format.status !== 0) {
        throw new StartupError(
          `Kafka could not format its storage in ${kraftDir}: ${lastLines(`${format.stderr}${format.stdout}`, 3)}`,
        );
      }
    }

    const broker = new LocalBroker(`127.0.0.1:${port}`, logPath, join(dataDir, 'broker.pid'), dist.version);
    broker.launch = () => broker.spawnJvm(java.command, classpath, options, log4jPath, propsPath);
    broker.launch();
    await broker.waitUntilReady(options.readyTimeoutMs ?? 90_000);
    say(`Kafka ${dist.version} ready on ${broker.bootstrap} (log: ${logPath}).`);
    return broker;
  }

  /**
   * Starts the JVM again after it died, on the same ports and storage: clients reconnect to the same address
   * and everything Kafka had acknowledged is still in its log.
   */
  async restart(readyTimeoutMs = 90_000): Promise<void> {
    if (!this.launch || this.stopping) return;
    this.launch();
    await this.waitUntilReady(readyTimeoutMs);
  }

  get pid(): number | undefined {
    return this.jvm?.pid;
  }

  private spawnJvm(
    javaCommand: string,
    classpath: string,
    options: LocalBrokerOptions,
    log4jPath: string,
    propsPath: string,
  ) {
    const jvmArgs = [
      `-Xms${options.heap}`,
      `-Xmx${options.heap}`,
      '-XX:+UseSerialGC',
      '-XX:+ExitOnOutOfMemoryError',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${log4jPath}`,
      `-Dkafka.logs.dir=${join(options.dataDir, 'logs')}`,
      '-cp',
      classpath,
      'kafka.Kafka',
      propsPath,
    ];
    const [command, args] = withParentDeathSignal(javaCommand, jvmArgs);
    // The JVM's own stdout/stderr (JVM warnings, early crashes) go beside the broker log.
    const out = openSync(join(options.dataDir, 'logs', 'jvm.out'), 'w');
    this.jvm = spawn(command, args, { stdio: ['ignore', out, out] });
    closeSync(out);
    if (this.jvm.pid) writeFileSync(this.pidPath, String(this.jvm.pid));
    this.jvm.on('exit', (code, signal) => {
      rmSync(this.pidPath, { force: true });
      if (!this.stopping) this.emit('exit', code, signal);
    });
  }

  private async waitUntilReady(timeoutMs: number) {
    const kafka = createKafka([this.bootstrap], 'lab-readiness', {
      connectionTimeout: 1_000,
      requestTimeout: 2_000,
      retry: { retries: 0 },
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.jvm?.exitCode !== null || this.jvm?.signalCode !== null) {
        throw new StartupError(`The Kafka broker stopped while starting; see ${this.logPath}: ${this.logTail(3)}`);
      }
      try {
        await describeBrokers(kafka);
        return;
      } catch {
        await sleep(250);
      }
    }
    await this.stop();
    throw new StartupError(
      `The Kafka broker did not become ready in ${timeoutMs / 1000} s; see ${this.logPath}: ${this.logTail(3)}`,
    );
  }

  /** The last lines of the broker's log, for error messages. */
  logTail(lines: number): string {
    const text = [this.logPath, join(this.logPath, '..', 'jvm.out')]
      .filter((p) => existsSync(p))
      .map((p) => readFileSync(p, 'utf8'))
      .join('\n');
    return lastLines(text, lines) || '(the log is empty)';
  }

  /** Graceful stop (SIGTERM lets Kafka close its logs cleanly), then SIGKILL if it takes too long. */
  async stop(graceMs = 15_000): Promise<void> {
    const jvm = this.jvm;
    if (!jvm || jvm.exitCode !== null || jvm.signalCode !== null) return;
    this.stopping = true;
    const exited = new Promise<void>((resolve) => jvm.once('exit', () => resolve()));
    jvm.kill('SIGTERM');
    const timer = setTimeout(() => jvm.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * On Linux, `setpriv --pdeathsig KILL` makes the kernel kill the JVM when the server process dies, however
 * it dies. Where setpriv is missing the JVM is started directly and main's exit handlers stop it.
 */
function withParentDeathSignal(command: string, args: string[]): [string, string[]] {
  if (process.platform !== 'linux') return [command, args];
  const setpriv = (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, 'setpriv'))
    .find((p) => existsSync(p));
  return setpriv ? [setpriv, ['--pdeathsig', 'KILL', '--', command, ...args]] : [command, args];
}

/** The last n meaningful lines: Java stack frames say where, not what, so they are skipped. */
function lastLines(text: string, n: number): string {
  return text
    .trim()
    .split('\n')
    .filter((line) => line.trim() && !/^\s+at |^\s*\.\.\. \d+ more/.test(line))
    .slice(-n)
    .join(' | ');
}

function brokerProperties(p: {
  port: number;
  controllerPort: number;
  kraftDir: string;
  nodeId: number;
  voters: string;
  replication: number;
  autoCreateTopics: boolean;
  secure: SecureListener | undefined;
}): string {
  // Combined broker+controller nodes. Internal topics default to replication factor 3, which a single node
  // cannot satisfy (consumers then fail with "group coordinator not available"), so every one of them
  // follows the cluster's size; with 3 nodes, acks=all needs 2 in sync (min.insync.replicas).
  const rf = p.replication;
  const { secure } = p;
  const minIsr = Math.max(1, rf - 1);
  return `${[
    'process.roles=broker,controller',
    `node.id=${p.nodeId}`,
    `controller.quorum.voters=${p.voters}`,
    `listeners=PLAINTEXT://127.0.0.1:${p.port},CONTROLLER://127.0.0.1:${p.controllerPort}${secure ? `,SASL_SSL://127.0.0.1:${secure.port}` : ''}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${p.port}${secure ? `,SASL_SSL://127.0.0.1:${secure.port}` : ''}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    `listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${secure ? ',SASL_SSL:SASL_SSL' : ''}`,
    `log.dirs=${p.kraftDir}`,
    'num.partitions=1',
    `default.replication.factor=${rf}`,
    `min.insync.replicas=${minIsr}`,
    `offsets.topic.replication.factor=${rf}`,
    'offsets.topic.num.partitions=5',
    `transaction.state.log.replication.factor=${rf}`,
    `transaction.state.log.min.isr=${minIsr}`,
    'transaction.state.log.num.partitions=3',
    `share.coordinator.state.topic.replication.factor=${rf}`,
    `share.coordinator.state.topic.min.isr=${minIsr}`,
    'share.coordinator.state.topic.num.partitions=3',
    // Lab consumers join one at a time; waiting for more members only delays the first rebalance.
    'group.initial.rebalance.delay.ms=0',
    // A lab topic lives minutes; keep segments small so reset and restarts stay quick.
    'log.segment.bytes=16777216',
    `auto.create.topics.enable=${p.autoCreateTopics}`,
    ...(secure ? secureListenerProperties(secure) : []),
  ].join('\n')}\n`;
}

function secureListenerProperties(secure: SecureListener): string[] {
  const plainUsers = secure.users.map((u) => `user_${u.username}="${u.password}"`).join(' ');
  return [
    'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    `listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required ${plainUsers};`,
    'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
    'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
    'listener.name.sasl_ssl.ssl.keystore.type=PKCS12',
    `listener.name.sasl_ssl.ssl.keystore.location=${secure.keystorePath}`,
    `listener.name.sasl_ssl.ssl.keystore.password=${secure.keystorePassword}`,
  ];
}

function log4jConfig(logPath: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="warn">
  <Appenders>
    <RollingFile name="broker" fileName="${logPath}" filePattern="${logPath}.%i">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
      <SizeBasedTriggeringPolicy size="20 MB"/>
      <DefaultRolloverStrategy max="2"/>
    </RollingFile>
  </Appenders>
  <Loggers>
    <Root level="info"><AppenderRef ref="broker"/></Root>
    <Logger name="kafka.request.logger" level="warn"/>
    <Logger name="org.apache.kafka.storage.internals.log" level="warn"/>
  </Loggers>
</Configuration>
`;
}
