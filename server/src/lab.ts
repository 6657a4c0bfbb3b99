import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KafkaState } from '@lab/model';
import { KafkaClients } from './kafka/clients.js';
import type { KafkaSecurity } from './kafka/security.js';
import { LabEngine } from './labs/engine.js';
import { loadLabs } from './labs/loader.js';
import { LiveState } from './live/state.js';
import { Recorder } from './recorder/recorder.js';
import { RecordingStore } from './recorder/store.js';
import type { InstanceHosts } from './runtime/hosts.js';
import { Runtime } from './runtime/runtime.js';
import { EventLog } from './telemetry/log.js';
import { TopologyStore } from './topology-store.js';
import { LAB_VERSION } from './version.js';

/** What the app needs from the outside: Kafka's state as it changes. main.ts wires the real monitor. */
export interface KafkaStateSource {
  readonly state: KafkaState;
  on(event: 'change', listener: (state: KafkaState) => void): unknown;
  off(event: 'change', listener: (state: KafkaState) => void): unknown;
}

export interface LabOptions {
  brokers: string[];
  /** TLS and SASL of an existing cluster (KAFKA_SSL, KAFKA_SASL_*); none for the local broker. */
  security?: KafkaSecurity;
  /**
   * The server's outside Kafka clients (main.ts): the lab's admin and observer are made there, so the server
   * closes whatever is still open when it closes. A lab made alone (tests, tools) makes its own.
   */
  clients?: KafkaClients;
  topicPrefix: string;
  dataDir: string;
  kafka: KafkaStateSource;
  lagIntervalMs?: number;
  /** Folder of the guided labs (the repository's labs/ by default). */
  labsDir?: string;
  /** Instances running at once, at most (LIMITS.totalInstances by default). */
  maxInstances?: number;
  /** Source events per second of all sources together, at most (LIMITS.totalRatePerSec by default). */
  maxRatePerSec?: number;
  /** Journeys kept (telemetry/traces.ts: all of a lab's own, or a named workspace's share of the server's). */
  traceCapacity?: number;
  /** Scales the labs' minimum step times (1 for learners; headless solution tests use less). */
  minSecondsScale?: number;
  /** Finished run recordings kept on disk (the oldest are removed first). */
  keepRecordings?: number;
  /** The host threads the instances run on (the server's shared pool unless given). */
  hosts?: InstanceHosts;
  /** This lab's share of a server of many workspaces (see Workspaces.roomFor). */
  serverRoom?: () => { free: number; limit: number } | undefined;
}

/** The repository's labs/, the same relative place from src/ and dist/. */
export const LABS_DIR = fileURLToPath(new URL('../../labs', import.meta.url));

/** The lab's parts, wired: the runtime, the saved topology, the event log and the live state. */
export interface Lab {
  runtime: Runtime;
  store: TopologyStore;
  log: EventLog;
  live: LiveState;
  labs: LabEngine;
  recorder: Recorder;
  recordings: RecordingStore;
  topicPrefix: string;
  close: () => Promise<void>;
}

export function createLab(options: LabOptions): Lab {
  const kafka = (options.clients ?? new KafkaClients(options.brokers, options.security)).forWorkspace(
    options.topicPrefix,
  );
  const { admin, observer } = kafka;
  const log = new EventLog();
  const live = new LiveState(options.kafka.state);
  const onKafka = (state: KafkaState) => {
    live.setKafka(state);
    if (state.status === 'up')
      log.add({ level: 'info', kind: 'kafka', message: `Kafka connected (${state.brokers.join(', ')})` });
    if (state.status === 'down')
      log.add({ level: 'error', kind: 'kafka', message: state.error ?? 'Kafka is unreachable' });
  };
  options.kafka.on('change', onKafka);
  // Every published snapshot also advances the active lab's checks; its progress rides in the snapshot.
  let labs: LabEngine | undefined;
  const runtime = new Runtime({
    prefix: options.topicPrefix,
    brokers: options.brokers,
    security: options.security,
    admin,
    observer,
    log,
    publish: (parts) => {
      live.setRuntime(parts);
      if (!labs) return;
      labs.evaluate(live.snapshot());
      live.setLab(labs.progress());
    },
    lagIntervalMs: options.lagIntervalMs,
    maxInstances: options.maxInstances,
    maxRatePerSec: options.maxRatePerSec,
    traceCapacity: options.traceCapacity,
    hosts: options.hosts,
    serverRoom: options.serverRoom,
  });
  const store = new TopologyStore(options.dataDir, options.topicPrefix);
  const loadedLabs = loadLabs(options.labsDir ?? LABS_DIR, options.topicPrefix);
  for (const problem of loadedLabs.problems) {
    log.add({
      level: 'warn',
      kind: 'edit',
      message: `Lab not loaded: ${problem.file}${problem.step ? ` › step ${problem.step}` : ''}: ${problem.error}`,
    });
  }
  labs = new LabEngine({
    labs: loadedLabs.labs,
    runtime,
    store,
    log,
    dataDir: options.dataDir,
    minSecondsScale: options.minSecondsScale,
    onTopologyReplaced: () => live.topologyReplaced(),
    onProgress: () => live.setLab(labs?.progress()),
  });
  live.setLab(labs.progress());
  const recordings = new RecordingStore(join(options.dataDir, 'recordings'), options.keepRecordings ?? 20);
  void recordings.recover();
  const recorder = new Recorder({
    store: recordings,
    live,
    log,
    topology: () => runtime.current,
    serverVersion: LAB_VERSION,
    labDefinition: (id) => labs?.definition(id),
  });
  const loaded = store.load();
  void runtime.apply(loaded.topology);
  if (loaded.warning) log.add({ level: 'warn', kind: 'edit', message: loaded.warning });
  return {
    runtime,
    store,
    log,
    live,
    labs,
    recorder,
    recordings,
    topicPrefix: options.topicPrefix,
    close: async () => {
      labs?.close();
      await recorder.close();
      options.kafka.off('change', onKafka);
      await runtime.close();
      await kafka.close();
    },
  };
}
