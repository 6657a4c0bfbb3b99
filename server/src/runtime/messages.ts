import type { CallLink, CircuitState, ConsumeLink, JourneyHop, ProduceLink, Service, Source } from '@lab/model';
import type { KafkaSecurity } from '../kafka/security.js';
import type { Outcome } from '../telemetry/ledger.js';

/**
 * What the main thread and the instance host threads say to each other. An instance is one replica of a
 * service, or a source; many run on one host thread (see hosts.ts), each with its own Kafka clients and
 * connections and its own HTTP listener. Messages about one instance carry its `key` (one per start).
 */

/** A node's part of the topology, as one instance needs it. Topic names are already prefixed. */
export interface InstanceSpec {
  node: Service | Source;
  instanceId: string;
  brokers: string[];
  security?: KafkaSecurity;
  /** Consumer group of the service (prefix + service id). */
  groupId: string;
  produces: (ProduceLink & { topic: string })[];
  consumes: (ConsumeLink & { topic: string })[];
  calls: CallLink[];
  /** JSON Schemas of the topics this instance produces to, by topic id. */
  schemas: Record<string, Record<string, unknown>>;
  /** The latest contract version (an Avro record schema) of the topics it produces to, by topic id. */
  contracts: Record<string, { version: number; schema: Record<string, unknown> }>;
  /** The run's secret: required on the instance's HTTP listener, sent by its calls. */
  secret: string;
  /** The topology's source ids: the only origins an event may name (anything else is "unknown"). */
  origins: string[];
}

export type Outcomes = Partial<Record<Outcome, Record<string, string[]>>>;

export interface Faults {
  hang: boolean;
  slowMs: number;
  /** Overrides the service's own error rate while set. */
  errorRate: number | undefined;
}

export type ToWorker =
  | { type: 'spec'; spec: InstanceSpec }
  | { type: 'faults'; faults: Faults }
  | { type: 'endpoints'; endpoints: Record<string, string[]> }
  | { type: 'rate'; perSecond: number }
  /** A source: make the next event a poison pill. */
  | { type: 'poison' }
  /** The answer to a worker's `seen` question. */
  | { type: 'seen'; ask: number; seen: boolean }
  | { type: 'stop' };

export interface LinkTick {
  ok: number;
  failed: number;
  timeouts: number;
  latencies: number[];
  samples: string[];
  circuit?: CircuitState;
}

/** One event handled by one service instance, with its times: what one event's journey is drawn from. */
export interface HopRecord extends JourneyHop {
  traceId: string;
  origin: string;
  originTime: number;
}

/** Counters since the previous tick (about every 100 ms). */
export interface StatsTick {
  type: 'stats';
  handled: number;
  failed: number;
  /** Inputs the instance emitted onwards (events produced, calls made); for sources: events generated. */
  emitted: number;
  inFlight: number;
  latencies: number[];
  links: Record<string, LinkTick>;
  /** Ids of events Kafka acknowledged, by topic id. */
  produced: Record<string, string[]>;
  /** End-to-end latencies of flows that ended here, by origin source id. */
  flows: Record<string, number[]>;
  /** The events handled since the previous tick, with their times (bounded per tick). */
  hops: HopRecord[];
  /** What the service's behavior did: inputs kept back (filtered, unrouted, counted, stored), alerts, polls. */
  behavior: BehaviorTick;
}

export interface BehaviorTick {
  filtered: number;
  alerts: number;
  polls: number;
  emptyPolls: number;
  /** Keys in a materialized view (a gauge, not a count since the last tick). */
  viewSize?: number;
  /** How old each finished input was when this service finished it (now − its origin time), ms. */
  ages: number[];
}

export type FromWorker =
  | { type: 'ready'; url?: string }
  | StatsTick
  /**
   * Ids of events this instance finished, by outcome and by the topic id they came from; sent before the
   * commit. `dropped`: per topic, events an idempotent consumer recognised as already processed.
   */
  | {
      type: 'outcomes';
      outcomes: Outcomes;
      dropped: Record<string, number>;
      /** Exactly-once: outcomes of events whose transaction is committing, and ids whose commit succeeded. */
      tentative: Outcomes;
      confirmed: Record<string, string[]>;
    }
  /** An idempotent consumer asks whether its service already processed an event (the ledger is its store). */
  | { type: 'seen'; ask: number; topicId: string; eventId: string }
  /** A partition stopped behind an event it keeps failing (`block` policy), or flows again (reason null). */
  | { type: 'blocked'; topicId: string; partition: number; reason: string | null }
  | { type: 'assignment'; partitions: Record<string, number[]> }
  | { type: 'rebalancing' }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; kind: 'circuit' | 'rebalance' | 'error'; message: string }
  | { type: 'stopped' }
  | { type: 'fatal'; message: string };

/** The main thread to a host thread. */
export type ToHost =
  | { type: 'start'; key: number; spec: InstanceSpec }
  | { type: 'to'; key: number; message: ToWorker }
  /** Abrupt: cut the instance's sockets now (see SocketGuard); its code winds down without a connection. */
  | { type: 'crash'; key: number }
  /** What the host holds now: its instances, their open Kafka sockets, its event loop's resources. */
  | { type: 'inspect'; ask: number };

export interface HostInspection {
  instances: { key: number; id: string; state: 'running' | 'winding-down'; openSockets: number; refused: number }[];
  /** `process.getActiveResourcesInfo()` of the host thread: its timers, sockets and requests by kind. */
  resources: string[];
}

/** A host thread to the main thread. */
export type FromHost =
  | { type: 'from'; key: number; message: FromWorker }
  /** Every instance's stats tick of one host turn, in one message. */
  | { type: 'stats'; ticks: [number, StatsTick][] }
  /** The instance is down (crashed, stopped or failed to start): nothing more comes from it. */
  | { type: 'exit'; key: number }
  | { type: 'inspection'; ask: number; inspection: HostInspection };
