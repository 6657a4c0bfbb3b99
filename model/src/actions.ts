import Type from 'typebox';

/**
 * `POST /api/nodes/:id/actions`: break a service (or one instance of it) and mend it; `poison` makes a source
 * send one poison pill (an event no service can process).
 */
export const NodeAction = Type.Enum(['crash', 'stop', 'revive', 'hang', 'slow', 'errors', 'scale', 'poison']);
export type NodeAction = Type.Static<typeof NodeAction>;

export const NodeActionRequest = Type.Object(
  {
    action: NodeAction,
    /** slow: added latency in ms; errors: error rate 0..1; scale: the new instance count (1..8). */
    value: Type.Optional(Type.Number()),
    /** Only this instance (e.g. "billing-2"); every instance when absent. */
    instance: Type.Optional(Type.String({ maxLength: 80 })),
  },
  { additionalProperties: false },
);
export type NodeActionRequest = Type.Static<typeof NodeActionRequest>;

export const RateRequest = Type.Object(
  { perSecond: Type.Number({ minimum: 0, maximum: 5000 }) },
  { additionalProperties: false },
);
export type RateRequest = Type.Static<typeof RateRequest>;

/** `GET /api/topics/:id/messages`: one record as Kafka holds it. */
export const TopicMessage = Type.Object({
  partition: Type.Number(),
  offset: Type.Number(),
  timestamp: Type.Number(),
  key: Type.Union([Type.String(), Type.Null()]),
  headers: Type.Record(Type.String(), Type.String()),
  value: Type.Unknown(),
});
export type TopicMessage = Type.Static<typeof TopicMessage>;

/** Event headers every lab event carries, so a flow can be traced across topics and services. */
export const HEADERS = {
  traceId: 'lab-trace-id',
  eventId: 'lab-event-id',
  originTime: 'lab-origin-time',
  origin: 'lab-origin',
  hops: 'lab-hops',
  /** Marks a poison pill: an event no service can ever process (a source's `poison` action makes one). */
  poison: 'lab-poison',
  /** On a dead-lettered record: where it came from, why it failed, and which service failed it. */
  dlqTopic: 'lab-dlq-topic',
  dlqPartition: 'lab-dlq-partition',
  dlqOffset: 'lab-dlq-offset',
  dlqReason: 'lab-dlq-reason',
  dlqService: 'lab-dlq-service',
  /** The contract version of the topic the event was written with. */
  schemaVersion: 'lab-schema-version',
  /**
   * On a REST call, the version of the callee's API the caller was built against; on the answer, the version the
   * callee answered with (its latest).
   */
  apiVersion: 'lab-api-version',
  /** On a redriven event: the one service it is for; the topic's other consumers had it already and pass it by. */
  redriveFor: 'lab-redrive-for',
} as const;
