import type { KafkaState } from '@lab/model';
import { LabAdmin } from './kafka/admin.js';
import { createKafka } from './kafka/client.js';
import { TopicObserver } from './kafka/observer.js';
import { LiveState } from './live/state.js';
import { Runtime } from './runtime/runtime.js';
import { EventLog } from './telemetry/log.js';
import { TopologyStore } from './topology-store.js';

/** What the app needs from the outside: Kafka's state as it changes. main.ts wires the real monitor. */
export interface KafkaStateSource {
  readonly state: KafkaState;
  on(event: 'change', listener: (state: KafkaState) => void): unknown;
  off(event: 'change', listener: (state: KafkaState) => void): unknown;
}

export interface LabOptions {
  brokers: string[];
  topicPrefix: string;
  dataDir: string;
  kafka: KafkaStateSource;
  lagIntervalMs?: number;
}

/** The lab's parts, wired: the runtime, the saved topology, the event log and the live state. */
export interface Lab {
  runtime: Runtime;
  store: TopologyStore;
  log: EventLog;
  live: LiveState;
  topicPrefix: string;
  close: () => Promise<void>;
}

export function createLab(options: LabOptions): Lab {
  const kafka = createKafka(options.brokers, 'lab-runtime');
  const admin = new LabAdmin(kafka);
  // ':' cannot appear in a node id, so this group never collides with a service's.
  const observer = new TopicObserver(kafka, `${options.topicPrefix}:observer`);
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
  const runtime = new Runtime({
    prefix: options.topicPrefix,
    brokers: options.brokers,
    admin,
    observer,
    log,
    publish: (parts) => live.setRuntime(parts),
    lagIntervalMs: options.lagIntervalMs,
  });
  const store = new TopologyStore(options.dataDir, options.topicPrefix);
  const loaded = store.load();
  void runtime.apply(loaded.topology);
  if (loaded.warning) log.add({ level: 'warn', kind: 'edit', message: loaded.warning });
  return {
    runtime,
    store,
    log,
    live,
    topicPrefix: options.topicPrefix,
    close: async () => {
      options.kafka.off('change', onKafka);
      await runtime.close();
      await observer.stop();
      await admin.close();
    },
  };
}
