import { describe, expect, it } from 'vitest';
import type { HopRecord } from '../runtime/messages.js';
import { DEFAULT_TRACE_CAPACITY, SERVER_TRACE_BUDGET, TraceIndex, traceCapacityFor } from './traces.js';

const hop = (traceId: string, service: string, topic?: string, offset = 0): HopRecord => ({
  traceId,
  eventId: `${traceId}-${service}`,
  origin: 'shop',
  originTime: 1_000,
  service,
  instance: `${service}-1`,
  input: topic ? { topic, partition: 0, offset, appendedAt: 1_010 } : { rest: true },
  receivedAt: 1_020,
  startedAt: 1_021,
  workedAt: 1_040,
  finishedAt: 1_050,
  ok: true,
});

describe('the journey index', () => {
  it('finds every hop of a trace by its id, whenever each was reported', () => {
    const index = new TraceIndex();
    index.add([hop('t1', 'checkout'), hop('t2', 'checkout')]);
    index.add([hop('t1', 'payments', 'orders', 7)]);
    const journey = index.find('t1')!;
    expect(journey).toMatchObject({ traceId: 't1', origin: 'shop', originTime: 1_000 });
    expect(journey.hops.map((h) => h.service)).toEqual(['checkout', 'payments']);
    expect(journey.hops[1]!.input).toEqual({ topic: 'orders', partition: 0, offset: 7, appendedAt: 1_010 });
    expect(index.find('nope')).toBeUndefined();
  });

  it('is bounded: the oldest traces leave first, and a trace keeps a bounded number of hops', () => {
    const index = new TraceIndex(3, 2);
    for (const id of ['a', 'b', 'c', 'd']) index.add([hop(id, 'x')]);
    expect(index.size).toBe(3);
    expect(index.find('a')).toBeUndefined();
    index.add([hop('d', 'y'), hop('d', 'z')]);
    expect(index.find('d')!.hops.map((h) => h.service)).toEqual(['x', 'y']);
  });

  it('offers a recent, not the newest, trace read from a topic', () => {
    const index = new TraceIndex();
    expect(index.latestOn('orders')).toBeUndefined();
    index.add([hop('only', 'payments', 'orders')]);
    expect(index.latestOn('orders')).toBe('only');
    for (let i = 0; i < 10; i++) index.add([hop(`t${i}`, 'payments', 'orders', i)]);
    expect(index.latestOn('orders')).toBe('t4');
  });
});

describe("a workspace's share of the server's journeys", () => {
  it('keeps all of a lab alone, a fair share of a full classroom, and never less than a minute of events', () => {
    expect(traceCapacityFor(1)).toBe(DEFAULT_TRACE_CAPACITY);
    expect(traceCapacityFor(30)).toBe(2_000);
    expect(traceCapacityFor(30) * 30).toBeLessThanOrEqual(SERVER_TRACE_BUDGET);
    expect(traceCapacityFor(500)).toBe(1_000);
    expect(traceCapacityFor(0)).toBe(DEFAULT_TRACE_CAPACITY);
  });

  it('forgets the oldest journey first once its share is full', () => {
    const index = new TraceIndex(traceCapacityFor(30));
    for (let i = 0; i <= 2_000; i++) index.add([hop(`t${i}`, 'checkout')]);
    expect(index.size).toBe(2_000);
    expect(index.find('t0')).toBeUndefined();
    expect(index.find('t2000')).toBeDefined();
  });
});
