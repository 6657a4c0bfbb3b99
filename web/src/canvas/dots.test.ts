import { describe, expect, it } from 'vitest';
import { dotsForRate, MAX_DOTS } from './dots';

describe('dotsForRate', () => {
  it('draws no dots on an idle link and at least one on a busy one', () => {
    expect(dotsForRate(0)).toBe(0);
    expect(dotsForRate(Number.NaN)).toBe(0);
    expect(dotsForRate(0.2)).toBe(1);
  });

  it('grows with the rate on a log scale and stops at the cap', () => {
    expect([1, 3, 7, 15, 100].map(dotsForRate)).toEqual([1, 2, 3, 4, 7]);
    expect(dotsForRate(5000)).toBe(MAX_DOTS);
  });
});
