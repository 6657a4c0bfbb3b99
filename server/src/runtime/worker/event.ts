import { createHash, randomUUID } from 'node:crypto';
import { HEADERS } from '@lab/model';
import type { KafkaHeaders } from '../../kafka/client.js';

/** An input as a service sees it, whether it came from a topic or an HTTP request. */
export interface LabEvent {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  key: string | null;
  traceId: string;
  /** Epoch ms when the source made the first event of this flow. */
  originTime: number;
  /** The source the flow started at. */
  origin: string;
  hops: number;
  /** A poison pill: every service fails it, every time. */
  poison?: boolean;
  /** A redriven event meant for this service only. */
  redriveFor?: string;
}

export function newFlowEvent(
  origin: string,
  type: string,
  payload: Record<string, unknown>,
  key: string | null,
): LabEvent {
  return { id: randomUUID(), type, payload, key, traceId: randomUUID(), originTime: Date.now(), origin, hops: 0 };
}

/**
 * The next hop of a flow: a new event id, the same trace, one hop further. With `via` (a produce link's id) the
 * id is derived from the input's, so processing the same input twice makes the same event twice: the
 * duplicate is recognisable downstream, as the idempotency key of a real system would make it.
 */
export function nextHop(input: LabEvent, type: string, key: string | null, via?: string): LabEvent {
  const { redriveFor: _, ...rest } = input;
  return { ...rest, id: via ? derivedId(input.id, via) : randomUUID(), type, key, hops: input.hops + 1 };
}

function derivedId(inputId: string, via: string): string {
  const hex = createHash('sha256').update(`${inputId}\u0000${via}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function toHeaders(event: LabEvent): Record<string, string> {
  return {
    [HEADERS.traceId]: event.traceId,
    [HEADERS.eventId]: event.id,
    [HEADERS.originTime]: String(event.originTime),
    [HEADERS.origin]: event.origin,
    [HEADERS.hops]: String(event.hops),
    ...(event.poison ? { [HEADERS.poison]: '1' } : {}),
    ...(event.redriveFor ? { [HEADERS.redriveFor]: event.redriveFor } : {}),
  };
}

export function toValue(event: LabEvent): string {
  return JSON.stringify({ id: event.id, type: event.type, payload: event.payload });
}

/**
 * Reads an event back from Kafka's headers and value, or from an HTTP request's. Tolerates foreign events.
 * The origin names a flow in the live numbers, so only the topology's own sources (`origins`) count as one:
 * anything else is "unknown", and no header can add an entry to a record.
 */
export function fromRecord(
  headers: KafkaHeaders | Record<string, string | string[] | undefined>,
  value: string,
  key: string | null,
  origins: readonly string[],
): LabEvent {
  const header = (name: string) => {
    const raw = headers[name];
    const first = Array.isArray(raw) ? raw[0] : raw;
    return first === undefined ? undefined : String(first);
  };
  let body: { id?: unknown; type?: unknown; payload?: unknown } = {};
  try {
    body = JSON.parse(value);
  } catch {
    body = { payload: { raw: value } };
  }
  return {
    id: typeof body.id === 'string' ? body.id : (header(HEADERS.eventId) ?? randomUUID()),
    type: typeof body.type === 'string' ? body.type : 'event',
    payload: typeof body.payload === 'object' && body.payload !== null ? (body.payload as Record<string, unknown>) : {},
    key,
    traceId: header(HEADERS.traceId) ?? randomUUID(),
    originTime: Number(header(HEADERS.originTime) ?? Date.now()),
    origin: knownOrigin(header(HEADERS.origin), origins),
    hops: Number(header(HEADERS.hops) ?? 0),
    ...(header(HEADERS.poison) === '1' ? { poison: true } : {}),
    ...(header(HEADERS.redriveFor) ? { redriveFor: header(HEADERS.redriveFor) } : {}),
  };
}

function knownOrigin(origin: string | undefined, origins: readonly string[]): string {
  return origin !== undefined && origins.includes(origin) ? origin : 'unknown';
}
