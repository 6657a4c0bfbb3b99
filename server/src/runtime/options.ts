import type { Snapshot } from '@lab/model';
import type { LabAdmin } from '../kafka/admin.js';
import type { TopicObserver } from '../kafka/observer.js';
import type { EventLog } from '../telemetry/log.js';
import type { InstanceHosts } from './hosts.js';
import type { Namespace } from './specs.js';

/** The runtime's part of the snapshot: everything but Kafka's state, the lab's progress and the topology revision. */
export type RuntimeParts = Omit<Snapshot, 'kafka' | 'lab' | 'topologyRevision'>;

export interface RuntimeOptions extends Namespace {
  admin: LabAdmin;
  observer: TopicObserver;
  log: EventLog;
  /** Called about ten times a second while running, and after every command, with the runtime's part of the snapshot. */
  publish: (parts: RuntimeParts) => void;
  lagIntervalMs?: number;
  /** How long a run waits for consumers to get their partitions before starting sources. */
  assignmentWaitMs?: number;
  /** Instances running at once, at most (LIMITS.totalInstances; lower in tests). */
  maxInstances?: number;
  /** The host threads the instances run on (the server's shared pool unless given). */
  hosts?: InstanceHosts;
  /**
   * On a server of many workspaces: how many instances this runtime may have, all workspaces together being
   * capped (SERVER_MAX_INSTANCES), so one workspace cannot take the room of the others.
   */
  serverRoom?: () => { free: number; limit: number } | undefined;
  /** Journeys kept for `GET /api/traces/:id` (DEFAULT_TRACE_CAPACITY; a named workspace's share of the server's). */
  traceCapacity?: number;
  /** Source events per second of all sources together, at most (LIMITS.totalRatePerSec; a classroom attendee's share). */
  maxRatePerSec?: number;
}
