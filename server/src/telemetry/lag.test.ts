import { describe, expect, it } from 'vitest';
import type { LabAdmin } from '../kafka/admin.js';
import { LagReader, lagOf } from './lag.js';

describe('lagOf', () => {
  it('sums end minus committed over partitions', () => {
    expect(lagOf([10, 20, 5], [0, 0, 0], [10, 15, 0], 'latest')).toBe(10);
  });
  it('counts a partition with nothing committed from its start for earliest, as nothing behind for latest', () => {
    expect(lagOf([10, 20], [2, 0], [-1, 20], 'earliest')).toBe(8);
    expect(lagOf([10, 20], [2, 0], [-1, 20], 'latest')).toBe(0);
  });
});

describe('LagReader', () => {
  it("hands out what it read frozen: a reader adds its own numbers to a copy, never to the reader's state", async () => {
    const admin = {
      topicOffsets: async () => ({ start: [0, 0], end: [10, 4] }),
      committedOffsets: async () => [6, 4],
      leaders: async () => [1, 1],
      groupStates: async () => new Map([['p.billing', 'Stable']]),
    } as unknown as LabAdmin;
    const lag = new LagReader(admin);
    const target = {
      topicId: 'orders',
      topic: 'p.orders',
      groups: [{ serviceId: 'billing', groupId: 'p.billing', startFrom: 'earliest' as const }],
    };
    await lag.read([target], () => ['billing-1', 'billing-1']);
    const orders = lag.current.orders!;
    expect(orders.groups.billing).toEqual({ committed: [6, 4], lag: 4, owners: ['billing-1', 'billing-1'] });
    expect(lag.stateOf('p.billing')).toBe('Stable');
    expect(Object.isFrozen(lag.current) && Object.isFrozen(orders) && Object.isFrozen(orders.groups)).toBe(true);
    expect(() => {
      (orders.groups.billing as { lag: number }).lag = 0;
    }).toThrow(TypeError);
    expect(lag.current.orders?.groups.billing?.lag).toBe(4);

    lag.clear();
    expect(lag.current).toEqual({});
    expect(lag.readStartedAt).toBe(0);
  });
});
