import Type from 'typebox';

/**
 * The topology document, version 1: what the user draws and the runtime runs.
 * Fields beyond `id` and `kind` are optional in the document (older documents and labs keep loading);
 * `normalizeTopology` fills the defaults below, so the rest of the code reads complete nodes and links.
 */
export const TOPOLOGY_VERSION = 1;
export const LIMITS = {
  nodes: 300,
  links: 600,
  idLength: 64,
  labelLength: 80,
  nameLength: 120,
  instances: { min: 1, max: 8 },
  partitions: { min: 1, max: 12 },
  ratePerSec: { min: 0, max: 5000 },
  processingMs: { min: 0, max: 60_000 },
  jitterMs: { min: 0, max: 60_000 },
  concurrency: { min: 1, max: 256 },
  timeoutMs: { min: 10, max: 120_000 },
  retries: { min: 0, max: 5 },
  attempts: { min: 1, max: 10 },
  backoffMs: { min: 0, max: 10_000 },
  payloadFields: 20,
  choices: 20,
  /** Quotas on the whole lab (model/src/quotas.ts): instances at once, source events per second, document size. */
  totalInstances: 300,
  totalRatePerSec: 10_000,
  documentBytes: 512 * 1024,
} as const;

/** Kafka's topic-name characters; ids also name topics and consumer groups, so they follow the same rule. */
export const ID_PATTERN = '^[a-zA-Z0-9._-]+$';

const Id = Type.String({ minLength: 1, maxLength: LIMITS.idLength, pattern: ID_PATTERN });
const Label = Type.Optional(Type.String({ maxLength: LIMITS.labelLength }));
const Position = Type.Optional(Type.Object({ x: Type.Number(), y: Type.Number() }, { additionalProperties: false }));
const between = (range: { min: number; max: number }) => ({ minimum: range.min, maximum: range.max });

/** How a source fills one payload field of each event it makes. */
export const PayloadField = Type.Union([
  Type.Object({ kind: Type.Literal('id') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('sequence') }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('number'),
      min: Type.Number(),
      max: Type.Number(),
      decimals: Type.Optional(Type.Integer(between({ min: 0, max: 6 }))),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('choice'),
      options: Type.Array(Type.String({ maxLength: 80 }), { minItems: 1, maxItems: LIMITS.choices }),
    },
    { additionalProperties: false },
  ),
]);
export type PayloadField = Type.Static<typeof PayloadField>;

export const SourcePattern = Type.Enum(['constant', 'burst', 'wave']);
export type SourcePattern = Type.Static<typeof SourcePattern>;

export const SourceNode = Type.Object(
  {
    id: Id,
    kind: Type.Literal('source'),
    label: Label,
    position: Position,
    /** Events (or requests) per second at the pattern's baseline. */
    ratePerSec: Type.Optional(Type.Number(between(LIMITS.ratePerSec))),
    pattern: Type.Optional(SourcePattern),
    eventType: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    // additionalProperties false: a field name that breaks the pattern is refused, not silently unchecked.
    payload: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]{0,39}$' }), PayloadField, {
        maxProperties: LIMITS.payloadFields,
        additionalProperties: false,
      }),
    ),
    /** The payload field whose value becomes the Kafka key (same key, same partition, same order). */
    keyField: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
);

const FieldName = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-zA-Z_][a-zA-Z0-9_]{0,39}$' });
const Scalar = Type.Union([Type.String({ maxLength: 80 }), Type.Number(), Type.Boolean()]);

/**
 * What a service does with each input, declared (no user code): forward it (the default), keep only those
 * matching a condition, route it by a field's value, count or sum per key in a sliding window and emit an
 * alert over a threshold, keep a materialized view (the latest event per key, rebuilt from the topic's
 * beginning on every start), or poll another service over REST instead of reacting to events.
 */
export const Behavior = Type.Union([
  Type.Object({ kind: Type.Literal('forward') }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('filter'),
      field: FieldName,
      op: Type.Enum(['==', '!=', '>', '>=', '<', '<=']),
      value: Scalar,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('route'),
      field: FieldName,
      /** Field value -> topic id (one of the service's produce links). */
      routes: Type.Record(Type.String({ maxLength: 80 }), Id, { maxProperties: 20 }),
      /** Where events whose value has no route go; without it they are dropped (counted as filtered). */
      otherwise: Type.Optional(Id),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('window'),
      /** The payload field events are grouped by (a card number). */
      key: FieldName,
      windowMs: Type.Integer({ minimum: 100, maximum: 600_000 }),
      /** Alert when the count (or, with `sum`, the sum of that field) within the window reaches this. */
      threshold: Type.Number({ minimum: 1 }),
      sum: Type.Optional(FieldName),
      alertType: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('view'), key: FieldName }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('poll'),
      /** The service polled over REST for what changed since the last poll. */
      target: Id,
      everyMs: Type.Integer({ minimum: 50, maximum: 60_000 }),
    },
    { additionalProperties: false },
  ),
]);
export type Behavior = Type.Static<typeof Behavior>;

export const ServiceNode = Type.Object(
  {
    id: Id,
    kind: Type.Literal('service'),
    label: Label,
    position: Position,
    instances: Type.Optional(Type.Integer(between(LIMITS.instances))),
    processingMs: Type.Optional(Type.Number(between(LIMITS.processingMs))),
    jitterMs: Type.Optional(Type.Number(between(LIMITS.jitterMs))),
    /** Share of inputs that fail on their own (0..1), before any fault. */
    errorRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    /** Inputs one instance handles at once; more wait. */
    concurrency: Type.Optional(Type.Integer(between(LIMITS.concurrency))),
    /** What a crash can do to its inputs: see DELIVERY_MODES. */
    delivery: Type.Optional(Type.Enum(['at-least-once', 'idempotent', 'exactly-once'])),
    behavior: Type.Optional(Behavior),
  },
  { additionalProperties: false },
);

export const TopicNode = Type.Object(
  {
    id: Id,
    kind: Type.Literal('topic'),
    label: Label,
    position: Position,
    partitions: Type.Optional(Type.Integer(between(LIMITS.partitions))),
    /** Optional JSON Schema every event's payload must match; producers reject events that do not. */
    schema: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { maxProperties: 50 })),
    /**
     * The topic's contract as a schema registry keeps it: Avro record schemas, one per version (oldest first),
     * and the compatibility mode each new version must keep with the one before. Producers write the latest
     * version (events carry it in a header) and refuse payloads it does not accept.
     */
    contract: Type.Optional(
      Type.Object(
        {
          compatibility: Type.Optional(Type.Enum(['backward', 'forward', 'full', 'none'])),
          versions: Type.Array(
            Type.Object(
              {
                version: Type.Integer({ minimum: 1, maximum: 1000 }),
                schema: Type.Record(Type.String(), Type.Unknown(), { maxProperties: 20 }),
              },
              { additionalProperties: false },
            ),
            { minItems: 1, maxItems: 20 },
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const TopologyNode = Type.Union([SourceNode, ServiceNode, TopicNode]);
export type TopologyNodeInput = Type.Static<typeof TopologyNode>;

export const ProduceLink = Type.Object(
  {
    id: Id,
    kind: Type.Literal('produce'),
    from: Id,
    to: Id,
    /** Overrides the event type the producer writes. */
    eventType: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    keyField: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
);
export const ConsumeLink = Type.Object(
  {
    id: Id,
    kind: Type.Literal('consume'),
    from: Id,
    to: Id,
    /** Where a new consumer group starts: the whole history, or only what arrives from now on. */
    startFrom: Type.Optional(Type.Enum(['earliest', 'latest'])),
    /** What happens to an event the service failed `attempts` times: see FAILURE_POLICIES. */
    onFailure: Type.Optional(Type.Enum(['dead-letter', 'skip', 'block'])),
    /** Tries in place before the failure policy applies (1 = no retry). */
    attempts: Type.Optional(Type.Integer(between(LIMITS.attempts))),
    /** Wait before the first retry; it doubles on each further one. */
    backoffMs: Type.Optional(Type.Integer(between(LIMITS.backoffMs))),
  },
  { additionalProperties: false },
);
export const CallLink = Type.Object(
  {
    id: Id,
    kind: Type.Literal('call'),
    from: Id,
    to: Id,
    timeoutMs: Type.Optional(Type.Integer(between(LIMITS.timeoutMs))),
    retries: Type.Optional(Type.Integer(between(LIMITS.retries))),
    circuitBreaker: Type.Optional(Type.Boolean()),
    /** When the call fails, answer with a fallback instead of failing the caller. */
    fallback: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const TopologyLink = Type.Union([ProduceLink, ConsumeLink, CallLink]);

export const TopologyDocument = Type.Object(
  {
    version: Type.Literal(TOPOLOGY_VERSION),
    name: Type.String({ minLength: 1, maxLength: LIMITS.nameLength }),
    nodes: Type.Array(TopologyNode, { maxItems: LIMITS.nodes }),
    links: Type.Array(TopologyLink, { maxItems: LIMITS.links }),
  },
  { additionalProperties: false },
);
export type TopologyDocument = Type.Static<typeof TopologyDocument>;

// The normalized shapes: every default filled in.
type Complete<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };
type Base = { id: string; label: string; position: { x: number; y: number } };
export type Source = Base & { kind: 'source' } & Complete<
    Pick<Type.Static<typeof SourceNode>, 'ratePerSec' | 'pattern' | 'eventType' | 'payload'>
  > & {
    keyField?: string;
  };
export type Service = Base & { kind: 'service' } & Complete<
    Pick<
      Type.Static<typeof ServiceNode>,
      'instances' | 'processingMs' | 'jitterMs' | 'errorRate' | 'concurrency' | 'delivery' | 'behavior'
    >
  >;
export type DeliveryMode = Service['delivery'];
export type FailurePolicy = ConsumeLink['onFailure'];
export type Topic = Base & {
  kind: 'topic';
  partitions: number;
  schema?: Record<string, unknown>;
  contract?: Type.Static<typeof TopicNode>['contract'];
};
/** Confluent Schema Registry's default mode. */
export const DEFAULT_COMPATIBILITY = 'backward';
export type TopologyNode = Source | Service | Topic;
export type ProduceLink = Type.Static<typeof ProduceLink>;
export type ConsumeLink = Complete<Type.Static<typeof ConsumeLink>>;
export type CallLink = Complete<Type.Static<typeof CallLink>>;
export type TopologyLink = ProduceLink | ConsumeLink | CallLink;
export interface Topology {
  version: 1;
  name: string;
  nodes: TopologyNode[];
  links: TopologyLink[];
}

export const DEFAULTS = {
  source: { ratePerSec: 5, pattern: 'constant', eventType: 'event', payload: {} },
  service: {
    instances: 1,
    processingMs: 20,
    jitterMs: 0,
    errorRate: 0,
    concurrency: 8,
    delivery: 'at-least-once',
    behavior: { kind: 'forward' },
  },
  topic: { partitions: 3 },
  // Earliest: a group that has never committed reads the whole topic, so nothing produced before it joined is lost.
  // A few tries, then the event is parked in `<topic>.dlq`: nothing is dropped silently, nothing stops.
  consume: { startFrom: 'earliest', onFailure: 'dead-letter', attempts: 3, backoffMs: 100 },
  call: { timeoutMs: 1000, retries: 0, circuitBreaker: false, fallback: false },
} as const;

/** In the user's words, for the inspector and the docs. */
export const FAILURE_POLICIES = {
  'dead-letter': 'after the last try, park the event in <topic>.dlq (with its origin and the reason) and go on',
  skip: 'after the last try, commit past the event: it is lost, and counted as lost',
  block: 'keep retrying: the partition stops behind the event (a poison pill stops it for good) while others flow',
} as const;
export const DELIVERY_MODES = {
  'at-least-once': 'commit after processing: a crash before the commit processes some events twice',
  idempotent: 'at-least-once, but an event id already processed is dropped (and counted) instead of processed again',
  'exactly-once':
    'outputs and the consumed offset commit in one Kafka transaction; consumers read only committed events',
} as const;

/** The dead-letter topic of a topic: where services that consume it with `onFailure: dead-letter` park failures. */
export const deadLetterTopicId = (topicId: string) => `${topicId}.dlq`;

/**
 * The dead-letter topics a topology uses that it does not draw itself: the runtime creates them and the canvas
 * shows them next to their topic. A drawn topic of the same name is used as is (and can have consumers).
 */
export function impliedDeadLetterTopics(topology: {
  nodes: readonly { id: string }[];
  links: readonly { kind: string; from: string; onFailure?: string }[];
}): { id: string; of: string }[] {
  const drawn = new Set(topology.nodes.map((n) => n.id));
  const implied = new Map<string, string>();
  for (const link of topology.links) {
    if (link.kind !== 'consume' || (link.onFailure ?? DEFAULTS.consume.onFailure) !== 'dead-letter') continue;
    const id = deadLetterTopicId(link.from);
    if (!drawn.has(id)) implied.set(id, link.from);
  }
  return [...implied].map(([id, of]) => ({ id, of }));
}

/** Where a node without a position is drawn: five to a row, in document order. */
export function defaultPosition(index: number): { x: number; y: number } {
  return { x: 220 * (index % 5), y: 140 * Math.floor(index / 5) };
}

/** The object without its undefined fields, so spreading it over defaults keeps the defaults. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Fills every default. Expects a document that already passed the schema. */
export function normalizeTopology(doc: TopologyDocument): Topology {
  const nodes = doc.nodes.map(defined).map((node, i): TopologyNode => {
    const base = {
      label: node.label ?? node.id,
      position: node.position ?? defaultPosition(i),
    };
    switch (node.kind) {
      case 'source':
        return { ...DEFAULTS.source, ...node, ...base, payload: node.payload ?? {} };
      case 'service':
        return { ...DEFAULTS.service, ...node, ...base };
      default:
        return { ...DEFAULTS.topic, ...node, ...base };
    }
  });
  const links = doc.links.map(defined).map((link): TopologyLink => {
    switch (link.kind) {
      case 'produce':
        return link;
      case 'consume':
        return { ...DEFAULTS.consume, ...link };
      default:
        return { ...DEFAULTS.call, ...link };
    }
  });
  return { version: 1, name: doc.name, nodes, links };
}

export const EMPTY_TOPOLOGY: Topology = { version: 1, name: 'Untitled', nodes: [], links: [] };
