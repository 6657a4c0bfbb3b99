import Type from 'typebox';
import { Lab } from './lab.js';
import { LabProgress, PredictionLive, Snapshot } from './protocol.js';
import { TopologyDocument } from './topology.js';

/**
 * The HTTP API's answers, as schemas. The server declares them as its routes' response schemas (Fastify
 * serializes with them: a field missing here never reaches the browser), and the web types its calls with the
 * same `Static` types, so neither side re-declares the other's shapes. Requests' schemas live beside the types
 * they carry (NodeActionRequest, Command, TopologyDocument…); the live feed's are in protocol.ts.
 */

/** Every refusal, whoever raised it: what is wrong, the field it is about (empty: the whole request). */
export const ApiErrorBody = Type.Object({
  error: Type.String(),
  /** `nodes.2.partitions`, `id`, `headers.host`…; empty when the problem is the request as a whole. */
  path: Type.String(),
  /** A refused topology document: every problem found, the first of which is `error` and `path`. */
  problems: Type.Optional(Type.Array(Type.Object({ path: Type.String(), error: Type.String() }))),
});
export type ApiErrorBody = Type.Static<typeof ApiErrorBody>;

/** A command done; what it changed shows in the live feed. */
export const Ok = Type.Object({ ok: Type.Literal(true) });
export type Ok = Type.Static<typeof Ok>;

/** `PUT /api/topology`: the document as saved and applied (defaults filled in). */
export const TopologySaved = Type.Object({ topology: TopologyDocument });
export type TopologySaved = Type.Static<typeof TopologySaved>;

/** `POST /api/reset`: the run's topics and consumer groups deleted from Kafka. */
export const ResetDone = Type.Object({
  ok: Type.Literal(true),
  removed: Type.Object({ topics: Type.Array(Type.String()), groups: Type.Array(Type.String()) }),
});
export type ResetDone = Type.Static<typeof ResetDone>;

/** `POST /api/nodes/:id/actions`: what the action did, in a sentence. */
export const NodeActionDone = Type.Object({ ok: Type.Literal(true), message: Type.String() });
export type NodeActionDone = Type.Static<typeof NodeActionDone>;

/** `GET /api/topics/:id/delivery`, per consuming service: where each acknowledged event ended. */
export const GroupDelivery = Type.Object({
  processed: Type.Number(),
  deadLettered: Type.Number(),
  lost: Type.Number(),
  missing: Type.Number(),
  missingSample: Type.Array(Type.String()),
  lostSample: Type.Array(Type.String()),
  deadLetteredSample: Type.Array(Type.String()),
  duplicates: Type.Number(),
  dropped: Type.Number(),
  /** Whether every event is still tracked one by one (false once the ledger's bound was reached). */
  tracked: Type.Boolean(),
});
export type GroupDelivery = Type.Static<typeof GroupDelivery>;

export const TopicDelivery = Type.Object({
  topic: Type.String(),
  produced: Type.Number(),
  groups: Type.Record(Type.String(), GroupDelivery),
});
export type TopicDelivery = Type.Static<typeof TopicDelivery>;

/** `POST /api/topics/:id/redrive`: events republished to the origin topic, per service they are addressed to. */
export const RedriveResult = Type.Object({
  redriven: Type.Number(),
  byService: Type.Record(Type.String(), Type.Number()),
});
export type RedriveResult = Type.Static<typeof RedriveResult>;

/** `GET /api/labs`: one guided lab in the list. */
export const LabSummary = Type.Object({
  id: Type.String(),
  title: Type.String(),
  claim: Type.String(),
  minutes: Type.Number(),
  steps: Type.Number(),
  /** Whether the learner finished this lab, or started it and left part way. */
  status: Type.Optional(Type.Union([Type.Literal('done'), Type.Literal('in-progress')])),
});
export type LabSummary = Type.Static<typeof LabSummary>;

/** `GET /api/labs/:id`: a lab as the guide reads it, with its starting topology. */
export const LabDefinition = Type.Object({ ...Lab.properties, startingTopology: TopologyDocument });
export type LabDefinition = Type.Static<typeof LabDefinition>;

/** The learner's own topology, kept aside while a lab runs (null: none kept). */
export const KeptTopology = Type.Union([Type.Object({ name: Type.String(), nodes: Type.Number() }), Type.Null()]);
export type KeptTopology = Type.Static<typeof KeptTopology>;

/** `GET /api/labs/progress`: the active lab's progress, null when none is open. */
export const ProgressReply = Type.Union([LabProgress, Type.Null()]);

export const LeftLab = Type.Object({ ok: Type.Literal(true), kept: KeptTopology });
export type LeftLab = Type.Static<typeof LeftLab>;

/** A step the learner continued from: its explanation and numbers as they were at that moment. */
export const FinishedStep = Type.Object({
  /** Epoch ms when the step started (the previous Continue): with `at`, how long it took (class summary). */
  startedAt: Type.Optional(Type.Number()),
  at: Type.Number(),
  explanation: Type.String(),
  values: Type.Record(Type.String(), Type.Number()),
  prediction: Type.Optional(PredictionLive),
});
export type FinishedStep = Type.Static<typeof FinishedStep>;

/** `POST /api/labs/continue`: the step frozen, and the snapshot its numbers were taken from. */
export const Continued = Type.Object({
  ok: Type.Literal(true),
  step: FinishedStep,
  snapshot: Type.Optional(Snapshot),
});
export type Continued = Type.Static<typeof Continued>;

/** `POST /api/labs/command`: following an event answers with the trace id it opened. */
export const CommandDone = Type.Object({ ok: Type.Literal(true), traceId: Type.Optional(Type.String()) });
export type CommandDone = Type.Static<typeof CommandDone>;

/** `POST /api/labs/scenario`: the scenario player's state after the command (absent with no lab open). */
export const ScenarioState = Type.Object({
  ok: Type.Literal(true),
  scenario: Type.Optional(LabProgress.properties.scenario),
});
export type ScenarioState = Type.Static<typeof ScenarioState>;
