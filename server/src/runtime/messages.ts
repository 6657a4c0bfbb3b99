import type { CallLink, CircuitState, ConsumeLink, JourneyHop, ProduceLink, Service, Source } from '@lab/model';
import type { KafkaSecurity } from '../kafka/security.js';

/**
 * What the main thread and an instance's worker say to each other. An instance is one replica of a service,
 * or a source; it runs in its own worker thread with its own Kafka connections and HTTP listener.
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
  /** The run's secret: required on the instance's HTTP listener, sent by its calls. */
  secret: string;
  /** The topology's source ids: the only origins an event may name (anything else is "unknown"). */
  origins: string[];
}

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
}

export type FromWorker =
  | { type: 'ready'; url?: string }
  | StatsTick
  /** Ids of events this instance finished handling, by the topic id they came from; sent before the commit. */
  | { type: 'processed'; processed: Record<string, string[]> }
  | { type: 'assignment'; partitions: Record<string, number[]> }
  | { type: 'rebalancing' }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; kind: 'circuit' | 'rebalance' | 'error'; message: string }
  | { type: 'stopped' }
  | { type: 'fatal'; message: string };
