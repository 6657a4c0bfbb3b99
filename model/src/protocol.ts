import Type from 'typebox';
import { KafkaState } from './kafka.js';

/**
 * The live feed on `/live`: one union per direction, keyed by `type`.
 * Bump PROTOCOL_VERSION on any change a running browser could misread; the browser reloads on a mismatch.
 */
export const PROTOCOL_VERSION = 3;

/** DESIGN.md's status values; each has one colour, one icon and one word everywhere. */
export const Status = Type.Union([
  Type.Literal('idle'),
  Type.Literal('running'),
  Type.Literal('down'),
  Type.Literal('hung'),
  /** Alive, but most of its inputs fail (measured): the error rate is at least FAILING_SHARE. */
  Type.Literal('failing'),
  Type.Literal('slow'),
  Type.Literal('rebalancing'),
]);
export type Status = Type.Static<typeof Status>;

/** A service whose measured error rate reaches this share of its inputs is shown as failing, not running. */
export const FAILING_SHARE = 0.5;

export const InstanceLive = Type.Object({ id: Type.String(), status: Status });
export type InstanceLive = Type.Static<typeof InstanceLive>;

/** One node's live numbers. Rates are per second over a sliding window; errorRate is the failed share (0..1). */
export const NodeLive = Type.Object({
  status: Status,
  instances: Type.Array(InstanceLive),
  inRate: Type.Number(),
  outRate: Type.Number(),
  errorRate: Type.Number(),
  inFlight: Type.Number(),
  p50Ms: Type.Number(),
  p99Ms: Type.Number(),
  processed: Type.Number(),
  failed: Type.Number(),
  /** Sources: the rate they are set to now (after live changes), in events per second. */
  targetRate: Type.Optional(Type.Number()),
  /** Inputs a service's behavior kept back: filtered out, without a route, counted in a window, stored in a view. */
  filtered: Type.Optional(Type.Number()),
  /** Alerts a windowed service emitted. */
  alerts: Type.Optional(Type.Number()),
  /** Polling services: polls made, and how many found nothing new (wasted calls). */
  polls: Type.Optional(Type.Number()),
  emptyPolls: Type.Optional(Type.Number()),
  /** Materialized views: keys held now, and how long the last rebuild from the topic's beginning took. */
  viewSize: Type.Optional(Type.Number()),
  rebuildMs: Type.Optional(Type.Number()),
  /** Median age of the inputs it finished (now − origin time): how late the service learns of a change. */
  ageP50Ms: Type.Optional(Type.Number()),
});
export type NodeLive = Type.Static<typeof NodeLive>;

export const CircuitState = Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half-open')]);
export type CircuitState = Type.Static<typeof CircuitState>;

export const LinkLive = Type.Object({
  /** Events or calls per second over the link. */
  rate: Type.Number(),
  /** Failed share of them (0..1), timeouts included. */
  errorRate: Type.Number(),
  /** Timed-out share (0..1): REST calls only. */
  timeoutRate: Type.Number(),
  p99Ms: Type.Number(),
  /** Consume links: the consumer group's lag on the topic, read from Kafka. */
  lag: Type.Optional(Type.Number()),
  /**
   * While the link fails: why its latest failure failed, in the user's words ("\"customers\" answered with API
   * version 2, but Billing was built against version 1: …", "no answer within 1000 ms").
   */
  reason: Type.Optional(Type.String()),
  /** Calls whose caller reads the callee's API: the version the callee's latest answer had (its deployed one). */
  servedVersion: Type.Optional(Type.Number()),
  /** REST calls with a circuit breaker: the worst state among the caller's instances. */
  circuit: Type.Optional(CircuitState),
  /** Trace ids of a few recent events, for the moving dots. */
  samples: Type.Array(Type.String()),
});
export type LinkLive = Type.Static<typeof LinkLive>;

export const GroupLive = Type.Object({
  committed: Type.Array(Type.Number()),
  lag: Type.Number(),
  /** Which instance owns each partition (index = partition), from the group's assignment. */
  owners: Type.Array(Type.String()),
  /** Events the group processed more than once (at-least-once redeliveries). */
  duplicates: Type.Number(),
  /**
   * Every event Kafka acknowledged on the topic is in exactly one of: processed, deadLettered (parked in the
   * dead-letter topic), lost (skipped after failing) or missing (not finished yet: pending; with lag 0 and
   * nothing in flight, gone).
   */
  missing: Type.Number(),
  processed: Type.Optional(Type.Number()),
  deadLettered: Type.Optional(Type.Number()),
  lost: Type.Optional(Type.Number()),
  /** Redelivered events an idempotent consumer recognised by id and dropped. */
  dropped: Type.Optional(Type.Number()),
  /** Partitions stopped behind an event the service keeps failing (`block` policy), with the reason. */
  blocked: Type.Optional(Type.Array(Type.Object({ partition: Type.Number(), reason: Type.String() }))),
  /** How many partitions are blocked (for lab checks). */
  blockedPartitions: Type.Optional(Type.Number()),
});
export type GroupLive = Type.Static<typeof GroupLive>;

export const TopicLive = Type.Object({
  endOffsets: Type.Array(Type.Number()),
  /** Per partition, the broker id of its leader: on a cluster, watch it move when a broker dies. */
  leaders: Type.Optional(Type.Array(Type.Number())),
  groups: Type.Record(Type.String(), GroupLive),
});
export type TopicLive = Type.Static<typeof TopicLive>;

/** End-to-end latency per business flow: from a source's event to the last hop that handled it. */
export const FlowLive = Type.Object({ p50Ms: Type.Number(), p99Ms: Type.Number(), completed: Type.Number() });
export type FlowLive = Type.Static<typeof FlowLive>;

/** One condition of the current step as the guide lists it: "lag on orders → Payments: 12 events — needs > 60". */
export const ConditionLive = Type.Object({
  label: Type.String(),
  value: Type.String(),
  target: Type.String(),
  /** Holds in the latest snapshot. */
  holds: Type.Boolean(),
  /** Counts as met (held long enough; in a sequence, passed). */
  met: Type.Boolean(),
  /** A sequence's later condition, not looked at yet. */
  waiting: Type.Optional(Type.Boolean()),
  /** How long a condition with `for` has held so far. */
  heldSeconds: Type.Optional(Type.Number()),
});
export type ConditionLive = Type.Static<typeof ConditionLive>;

/** Predict-then-observe: what the learner marked, and which nodes crossed a threshold since. */
export const PredictionLive = Type.Object({
  cause: Type.Array(Type.String()),
  /** Absent until the learner has predicted. */
  predicted: Type.Optional(Type.Array(Type.String())),
  /** The measured blast radius: nodes whose error rate, p99 or input lag crossed the step's threshold. */
  suffered: Type.Array(Type.String()),
  /** Why each suffering node counts: "error rate 100%". */
  reasons: Type.Record(Type.String(), Type.String()),
});
export type PredictionLive = Type.Static<typeof PredictionLive>;

/** The step being worked on, live: why it is (not yet) green. */
export const StepLive = Type.Object({
  /** Epoch ms when the step started (the previous Continue). */
  startedAt: Type.Number(),
  minSeconds: Type.Number(),
  /** Epoch ms when its check held (and minSeconds had passed): the step is green, Continue is offered. */
  passedAt: Type.Optional(Type.Number()),
  conditions: Type.Array(ConditionLive),
  /** The measured numbers by name, as the explanation shows them. */
  values: Type.Record(Type.String(), Type.Number()),
  prediction: Type.Optional(PredictionLive),
});
export type StepLive = Type.Static<typeof StepLive>;

/**
 * Where the learner is in the active lab. A step turns done (green) by itself, from the server's checks; the
 * next one starts when the learner presses Continue.
 */
export const LabProgress = Type.Object({
  labId: Type.String(),
  title: Type.String(),
  /** Index of the step being worked on; equals the number of steps once the lab is complete. */
  current: Type.Number(),
  steps: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      /** Its check held: green. The current step can be done and still open until Continue. */
      done: Type.Boolean(),
      /** Epoch ms. */
      doneAt: Type.Optional(Type.Number()),
      /** Epoch ms when a continued step had started (absent in progress saved before it was recorded). */
      startedAt: Type.Optional(Type.Number()),
      /** The explanation with the learner's measured numbers; live while the step is open, frozen at Continue. */
      explanation: Type.Optional(Type.String()),
      /** Its measured numbers by name (frozen at Continue). */
      values: Type.Optional(Type.Record(Type.String(), Type.Number())),
      /** A predict step's outcome (frozen at Continue). */
      prediction: Type.Optional(PredictionLive),
    }),
  ),
  /** The current step, live; absent once the lab is complete. */
  step: Type.Optional(StepLive),
  scenario: Type.Object({
    playing: Type.Boolean(),
    elapsedMs: Type.Number(),
    /** How many of the scenario's events have fired. */
    fired: Type.Number(),
    total: Type.Number(),
  }),
});
export type LabProgress = Type.Static<typeof LabProgress>;

/** The whole live state. Frames carry the same shape. */
export const Snapshot = Type.Object({
  running: Type.Boolean(),
  /** Epoch ms when the current run started; event log times are relative to it. */
  startedAt: Type.Optional(Type.Number()),
  kafka: KafkaState,
  nodes: Type.Record(Type.String(), NodeLive),
  links: Type.Record(Type.String(), LinkLive),
  topics: Type.Record(Type.String(), TopicLive),
  flows: Type.Record(Type.String(), FlowLive),
  lab: Type.Optional(LabProgress),
  /** Grows when the server replaced the topology itself (a lab started, a lab's command swapped one in): the
   * browser then reloads the document instead of keeping an outdated one. */
  topologyRevision: Type.Optional(Type.Number()),
});
export type Snapshot = Type.Static<typeof Snapshot>;

export const LogKind = Type.Union([
  Type.Literal('run'),
  Type.Literal('fault'),
  Type.Literal('revive'),
  Type.Literal('scale'),
  Type.Literal('rebalance'),
  Type.Literal('circuit'),
  Type.Literal('error'),
  Type.Literal('kafka'),
  Type.Literal('edit'),
]);
export const LogEntry = Type.Object({
  seq: Type.Number(),
  /** Epoch ms. */
  at: Type.Number(),
  level: Type.Union([Type.Literal('info'), Type.Literal('warn'), Type.Literal('error')]),
  kind: LogKind,
  nodeId: Type.Optional(Type.String()),
  message: Type.String(),
});
export type LogEntry = Type.Static<typeof LogEntry>;

export const Hello = Type.Object({
  type: Type.Literal('hello'),
  protocol: Type.Number(),
  serverVersion: Type.String(),
});
/**
 * What changed between two snapshots, in the manner of a JSON merge patch two levels deep: a top-level field
 * present here replaces the browser's (null: it is gone); in nodes, links, topics and flows, each entry
 * present replaces that entry whole (null: it is gone), and entries not named are unchanged.
 */
const Changed = <T extends Type.TSchema>(entry: T) =>
  Type.Optional(Type.Record(Type.String(), Type.Union([entry, Type.Null()])));
export const SnapshotDelta = Type.Object({
  running: Type.Optional(Type.Boolean()),
  startedAt: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  kafka: Type.Optional(KafkaState),
  nodes: Changed(NodeLive),
  links: Changed(LinkLive),
  topics: Changed(TopicLive),
  flows: Changed(FlowLive),
  lab: Type.Optional(Type.Union([LabProgress, Type.Null()])),
  topologyRevision: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
});
export type SnapshotDelta = Type.Static<typeof SnapshotDelta>;

/** The whole state, on connect; `seq` is the state's revision, the base of the first frame's delta. */
export const SnapshotMessage = Type.Object({ type: Type.Literal('snapshot'), seq: Type.Number(), snapshot: Snapshot });
/**
 * The state at revision `seq`, as a delta from revision `base`, the last state this browser was sent (so a
 * slow browser that skipped revisions still gets one delta that brings it up to date). A browser whose state
 * is not at `base` has missed something and reconnects for a fresh snapshot.
 */
export const FrameMessage = Type.Object({
  type: Type.Literal('frame'),
  seq: Type.Number(),
  base: Type.Number(),
  delta: SnapshotDelta,
});
/** Event log entries: the recent backlog right after the snapshot, then new ones as they happen. */
export const LogMessage = Type.Object({ type: Type.Literal('log'), entries: Type.Array(LogEntry) });
/** Heartbeat: lets the browser tell a quiet server from a dead connection. */
export const PingMessage = Type.Object({ type: Type.Literal('ping'), at: Type.Number() });

/** In a classroom: a message from the instructor, to the whole room (broadcast) or to this attendee (hint). */
export const ClassNotice = Type.Object({
  seq: Type.Number(),
  at: Type.Number(),
  kind: Type.Enum(['broadcast', 'hint']),
  text: Type.String(),
});
export type ClassNotice = Type.Static<typeof ClassNotice>;
/**
 * A classroom notice, pushed to the attendee's workspace feed the moment the instructor sends it (the
 * attendee's page also asks `GET /api/classroom/me` now and then, for what it missed while disconnected).
 */
export const NoticeMessage = Type.Object({ type: Type.Literal('notice'), notice: ClassNotice });

export const ServerMessage = Type.Union([Hello, SnapshotMessage, FrameMessage, LogMessage, PingMessage, NoticeMessage]);
export type ServerMessage = Type.Static<typeof ServerMessage>;

export const PongMessage = Type.Object({ type: Type.Literal('pong'), at: Type.Number() });
export const ClientMessage = Type.Union([PongMessage]);
export type ClientMessage = Type.Static<typeof ClientMessage>;

export const HEARTBEAT_INTERVAL_MS = 5_000;
/** Without any message for this long the browser treats the connection as dead and reconnects. */
export const HEARTBEAT_TIMEOUT_MS = 3 * HEARTBEAT_INTERVAL_MS;

export function emptySnapshot(kafka: KafkaState): Snapshot {
  return { running: false, kafka, nodes: {}, links: {}, topics: {}, flows: {} };
}
