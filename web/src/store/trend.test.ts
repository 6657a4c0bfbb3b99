import { emptySnapshot, type Snapshot } from '@lab/model';
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { createTrendSlice, TREND_SAMPLES, type TrendSlice, trendOf } from './trend';

const kafka = { status: 'up' as const, brokers: [], managed: true };
function snapshot(startedAt: number, inRate: number): Snapshot {
  return {
    ...emptySnapshot(kafka),
    running: true,
    startedAt,
    nodes: {
      billing: {
        status: 'running',
        instances: [],
        inRate,
        outRate: inRate,
        errorRate: 0.25,
        inFlight: 0,
        p50Ms: 10,
        p99Ms: 40,
        processed: 0,
        failed: 0,
      },
    },
    topics: {
      orders: {
        endOffsets: [10, 10],
        groups: { billing: { committed: [5, 5], lag: 10, owners: [], duplicates: 0, missing: 0 } },
      },
    },
  };
}

describe('trend slice', () => {
  it('samples once a second, keeps five minutes, and sums lag per service and per topic', () => {
    const store = createStore<TrendSlice>()(createTrendSlice);
    store.getState().recordTrend(snapshot(1, 5), 1000);
    store.getState().recordTrend(snapshot(1, 6), 1500);
    expect(store.getState().trend).toHaveLength(1);
    for (let i = 1; i <= TREND_SAMPLES + 5; i++) store.getState().recordTrend(snapshot(1, i), 1000 + i * 1000);
    expect(store.getState().trend).toHaveLength(TREND_SAMPLES);
    expect(store.getState().trend.at(-1)!.nodes).toEqual({
      billing: { inRate: TREND_SAMPLES + 5, outRate: TREND_SAMPLES + 5, p99Ms: 40, errorRate: 0.25, lag: 10 },
      orders: { inRate: 0, outRate: 0, p99Ms: 0, errorRate: 0, lag: 10 },
    });
  });

  it('starts over with a new run and records nothing while stopped', () => {
    const store = createStore<TrendSlice>()(createTrendSlice);
    store.getState().recordTrend(snapshot(1, 5), 1000);
    store.getState().recordTrend(snapshot(2, 7), 1100);
    expect(store.getState().trend.map((s) => s.nodes.billing!.inRate)).toEqual([7]);
    store.getState().recordTrend({ ...snapshot(2, 9), running: false }, 5000);
    expect(store.getState().trend).toHaveLength(1);
  });

  it('gives a node with no consumer group no lag', () => {
    expect(trendOf({ ...snapshot(1, 1), topics: {} }).billing!.lag).toBe(0);
  });
});
