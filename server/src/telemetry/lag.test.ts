import { describe, expect, it } from 'vitest';
import { lagOf } from './lag.js';

describe('lagOf', () => {
  it('sums end minus committed over partitions', () => {
    expect(lagOf([10, 20, 5], [0, 0, 0], [10, 15, 0], 'latest')).toBe(10);
  });
  it('counts a partition with nothing committed from its start for earliest, as nothing behind for latest', () => {
    expect(lagOf([10, 20], [2, 0], [-1, 20], 'earliest')).toBe(8);
    expect(lagOf([10, 20], [2, 0], [-1, 20], 'latest')).toBe(0);
  });
});
