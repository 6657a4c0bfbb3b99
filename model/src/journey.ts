import Type from 'typebox';

/**
 * One event's journey: every hop of a trace (the topic record it was read from, the service that handled it)
 * with its times, found by trace id. Served by `GET /api/traces/:traceId`, drawn as a waterfall.
 */
/**
 * One event handled by one service instance. Times are epoch ms: the service got the input at `receivedAt`,
 * began its work at `startedAt` (after waiting for a free worker), finished its own work at `workedAt` and its
 * outputs (REST calls, produced events) at `finishedAt`.
 */
export const JourneyHop = Type.Object({
  eventId: Type.String(),
  service: Type.String(),
  instance: Type.String(),
  /** The topic record the service read (partition, offset, Kafka's timestamp), or a REST call it answered. */
  input: Type.Union([
    Type.Object({ topic: Type.String(), partition: Type.Number(), offset: Type.Number(), appendedAt: Type.Number() }),
    Type.Object({ rest: Type.Literal(true) }),
  ]),
  receivedAt: Type.Number(),
  startedAt: Type.Number(),
  workedAt: Type.Number(),
  finishedAt: Type.Number(),
  ok: Type.Boolean(),
});
export type JourneyHop = Type.Static<typeof JourneyHop>;

/** `GET /api/traces/:traceId`. */
export const Journey = Type.Object({
  traceId: Type.String(),
  /** The source that made the first event of the flow, and when (epoch ms). */
  origin: Type.String(),
  originTime: Type.Number(),
  hops: Type.Array(JourneyHop),
});
export type Journey = Type.Static<typeof Journey>;

export type SegmentKind = 'kafka' | 'queued' | 'processing' | 'outputs';

/** One bar of the waterfall, in ms from the event's origin. */
export interface Segment {
  kind: SegmentKind;
  fromMs: number;
  toMs: number;
}

/** A hop's bars: waiting in Kafka, waiting for a free slot, its own work, waiting on its outputs. */
export function segmentsOf(hop: JourneyHop, originTime: number): Segment[] {
  const at = (t: number) => Math.max(0, t - originTime);
  const segments: Segment[] = [];
  if ('topic' in hop.input)
    segments.push({ kind: 'kafka', fromMs: at(hop.input.appendedAt), toMs: at(hop.receivedAt) });
  segments.push({ kind: 'queued', fromMs: at(hop.receivedAt), toMs: at(hop.startedAt) });
  segments.push({ kind: 'processing', fromMs: at(hop.startedAt), toMs: at(hop.workedAt) });
  segments.push({ kind: 'outputs', fromMs: at(hop.workedAt), toMs: at(hop.finishedAt) });
  return segments.filter((s) => s.toMs > s.fromMs || s.kind === 'processing');
}

/** The journey's hops in the order they happened. */
export function orderedHops(journey: Journey): JourneyHop[] {
  return [...journey.hops].sort((a, b) => a.receivedAt - b.receivedAt || a.finishedAt - b.finishedAt);
}
