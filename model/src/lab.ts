import Type from 'typebox';
import { NodeAction } from './actions.js';

/**
 * The lab format: what an instructor writes (in YAML) to turn a claim about event-driven design into an
 * experiment. Nothing in a lab is code: checks are declarative conditions over the live snapshot, commands
 * are the same requests the UI makes.
 */

/** "5s", "1.5s", "500ms". */
export const Duration = Type.String({ pattern: '^\\d+(\\.\\d+)?(ms|s)$' });

/** A number or status read from the snapshot by a path: `nodes.billing.p99Ms`, `links.l2.lag`, `running`. */
export const MetricPath = Type.String({ pattern: '^[a-zA-Z0-9._-]+$', maxLength: 200 });

export const Comparison = Type.Enum(['>', '>=', '<', '<=', '==', '!=']);

export const Condition = Type.Object(
  {
    metric: MetricPath,
    op: Comparison,
    /** A fixed target. Exactly one of `value` and `than` is given. */
    value: Type.Optional(Type.Union([Type.Number(), Type.String(), Type.Boolean()])),
    /** Another metric as the target: "the caller's rate >= the callee's" (times `times`, default 1). */
    than: Type.Optional(MetricPath),
    times: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
    /** The condition must hold without a break for this long. */
    for: Type.Optional(Duration),
    /** How the guide names the metric ("lag on orders → Payments"); derived from the topology when absent. */
    label: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
  },
  { additionalProperties: false },
);
export type Condition = Type.Static<typeof Condition>;

/** A check: conditions that must all hold (or any), or that must happen one after the other. */
export const Check = Type.Union([
  Type.Object({ all: Type.Array(Condition, { minItems: 1, maxItems: 10 }) }, { additionalProperties: false }),
  Type.Object({ any: Type.Array(Condition, { minItems: 1, maxItems: 10 }) }, { additionalProperties: false }),
  Type.Object({ sequence: Type.Array(Condition, { minItems: 2, maxItems: 10 }) }, { additionalProperties: false }),
]);
export type Check = Type.Static<typeof Check>;

/** What a button (or a scenario, or a solution) does: one of the lab's own HTTP commands. */
export const Command = Type.Union([
  Type.Object({ run: Type.Literal(true) }, { additionalProperties: false }),
  Type.Object({ stop: Type.Literal(true) }, { additionalProperties: false }),
  Type.Object(
    {
      action: Type.Object(
        {
          node: Type.String({ maxLength: 64 }),
          action: NodeAction,
          value: Type.Optional(Type.Number()),
          instance: Type.Optional(Type.String({ maxLength: 80 })),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      rate: Type.Object(
        { node: Type.String({ maxLength: 64 }), perSecond: Type.Number({ minimum: 0, maximum: 5000 }) },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
  /** Republish a dead-letter topic's events to where they came from. */
  Type.Object(
    { redrive: Type.Object({ topic: Type.String({ maxLength: 70 }) }, { additionalProperties: false }) },
    { additionalProperties: false },
  ),
  /** Open the journey of a recent event read from this topic (as clicking its trace id does). */
  Type.Object(
    { follow: Type.Object({ topic: Type.String({ maxLength: 64 }) }, { additionalProperties: false }) },
    { additionalProperties: false },
  ),
  /** Swap in another topology file of the lab (e.g. the solution's added service), as a live edit. */
  Type.Object({ topology: Type.String({ pattern: '^[a-zA-Z0-9._-]+\\.json$' }) }, { additionalProperties: false }),
]);
export type Command = Type.Static<typeof Command>;

export const LabButton = Type.Object(
  { label: Type.String({ minLength: 1, maxLength: 60 }), command: Command },
  { additionalProperties: false },
);

const MeasureName = Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9]{0,39}$' });
/** What the number is, in words, where it appears without its explanation (the class summary). */
const MeasureLabel = Type.String({ minLength: 1, maxLength: 80 });

/** A number the lab records over a step's whole time (start to Continue), for its explanation: `{{peakLag}}`. */
export const MetricMeasure = Type.Object(
  {
    name: MeasureName,
    metric: MetricPath,
    stat: Type.Enum(['max', 'min', 'last', 'mean']),
    unit: Type.Optional(Type.String({ maxLength: 10 })),
    label: Type.Optional(MeasureLabel),
  },
  { additionalProperties: false },
);

/**
 * A time, in seconds: from the moment `from` first holds (or the step's start) until `until` first holds
 * after it. "Time for the failure to reach the Gateway", "time to recover".
 */
export const DurationMeasure = Type.Object(
  {
    name: MeasureName,
    stat: Type.Literal('duration'),
    from: Type.Optional(Condition),
    until: Condition,
    unit: Type.Optional(Type.Literal('s')),
    label: Type.Optional(MeasureLabel),
  },
  { additionalProperties: false },
);
export const Measure = Type.Union([MetricMeasure, DurationMeasure]);
export type MetricMeasure = Type.Static<typeof MetricMeasure>;
export type DurationMeasure = Type.Static<typeof DurationMeasure>;
export type Measure = Type.Static<typeof Measure>;

/**
 * Predict, then observe: before the step's fault, the learner marks on the canvas the nodes they expect to
 * suffer. From then on, the nodes that cross a threshold are the measured blast radius.
 */
export const Prediction = Type.Object(
  {
    /** The nodes the fault is applied to: not part of the prediction, they are the cause. */
    cause: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 10 }),
    /** A node suffers when its error rate, p99 latency or the lag of a consume link into it crosses these. */
    errorRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    p99Ms: Type.Optional(Type.Number({ minimum: 1, maximum: 600_000 })),
    lag: Type.Optional(Type.Number({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type Prediction = Type.Static<typeof Prediction>;
export const PREDICTION_DEFAULTS = { errorRate: 0.1, p99Ms: 1000, lag: 50 } as const;

export const LabStep = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }),
    title: Type.String({ minLength: 1, maxLength: 100 }),
    /** Markdown. */
    body: Type.String({ maxLength: 10_000 }),
    actions: Type.Optional(Type.Array(LabButton, { maxItems: 6 })),
    check: Check,
    /** The step cannot pass before it has been open this long: the learner sees the effect, not its first second. */
    minSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 600 })),
    /** A predict-then-observe step: the check and the measures start once the learner has predicted. */
    predict: Type.Optional(Prediction),
    measures: Type.Optional(Type.Array(Measure, { maxItems: 12 })),
    hints: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 5 })),
    /** Markdown shown once the step is done, updated live until Continue; `{{name}}` is the learner's number. */
    explain: Type.String({ maxLength: 10_000 }),
  },
  { additionalProperties: false },
);
export type LabStep = Type.Static<typeof LabStep>;

export const ScenarioEvent = Type.Object(
  { at: Duration, label: Type.String({ maxLength: 80 }), command: Command },
  { additionalProperties: false },
);
export type ScenarioEvent = Type.Static<typeof ScenarioEvent>;

export const Lab = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9-]{1,60}$' }),
    title: Type.String({ minLength: 1, maxLength: 100 }),
    claim: Type.String({ minLength: 1, maxLength: 300 }),
    summary: Type.String({ maxLength: 2_000 }),
    minutes: Type.Integer({ minimum: 1, maximum: 180 }),
    /** The starting topology, a file beside the lab. */
    topology: Type.String({ pattern: '^[a-zA-Z0-9._-]+\\.json$' }),
    steps: Type.Array(LabStep, { minItems: 1, maxItems: 20 }),
    /** For instructors: a timeline played, paused and restarted from the UI. */
    scenario: Type.Optional(Type.Array(ScenarioEvent, { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type Lab = Type.Static<typeof Lab>;

/** The solution: for each step, the commands that complete it. Run headlessly in `npm test`. */
export const LabSolution = Type.Object(
  {
    steps: Type.Record(Type.String(), Type.Array(Command, { maxItems: 20 })),
    /** For predict steps: the nodes the headless run marks before the fault. */
    predictions: Type.Optional(
      Type.Record(Type.String(), Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 })),
    ),
  },
  { additionalProperties: false },
);
export type LabSolution = Type.Static<typeof LabSolution>;

export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
}
