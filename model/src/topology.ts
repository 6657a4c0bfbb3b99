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
  payloadFields: 20,
  choices: 20,
  /** Quotas on the whole lab (model/src/quotas.ts): workers at once, source events per second, document size. */
  totalInstances: 40,
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
    Pick<Type.Static<typeof ServiceNode>, 'instances' | 'processingMs' | 'jitterMs' | 'errorRate' | 'concurrency'>
  >;
export type Topic = Base & { kind: 'topic'; partitions: number; schema?: Record<string, unknown> };
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
  service: { instances: 1, processingMs: 20, jitterMs: 0, errorRate: 0, concurrency: 8 },
  topic: { partitions: 3 },
  // Earliest: a group that has never committed reads the whole topic, so nothing produced before it joined is lost.
  consume: { startFrom: 'earliest' },
  call: { timeoutMs: 1000, retries: 0, circuitBreaker: false, fallback: false },
} as const;

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
