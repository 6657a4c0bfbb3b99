import { randomUUID } from 'node:crypto';
import { HEADERS } from '@lab/model';
import type { IHeaders } from 'kafkajs';

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
}

export function newFlowEvent(
  origin: string,
  type: string,
  payload: Record<string, unknown>,
  key: string | null,
): LabEvent {
  return { id: randomUUID(), type, payload, key, traceId: randomUUID(), originTime: Date.now(), origin, hops: 0 };
}

/** The next hop of a flow: a new event id, the same trace, one hop further. */
export function nextHop(input: LabEvent, type: string, key: string | null): LabEvent {
  return { ...input, id: randomUUID(), type, key, hops: input.hops + 1 };
}

export function toHeaders(event: LabEvent): Record<string, string> {
  return {
    [HEADERS.traceId]: event.traceId,
    [HEADERS.eventId]: event.id,
    [HEADERS.originTime]: String(event.originTime),
    [HEADERS.origin]: event.origin,
    [HEADERS.hops]: String(event.hops),
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
  headers: IHeaders | Record<string, string | string[] | undefined>,
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
  };
}

function knownOrigin(origin: string | undefined, origins: readonly string[]): string {
  return origin !== undefined && origins.includes(origin) ? origin : 'unknown';
}
