import { describe, expect, it } from 'vitest';
import { makePayload, patternFactor, TickBudget } from './generate.js';

describe('patternFactor', () => {
  it('keeps constant sources constant', () => expect(patternFactor('constant', 7.3)).toBe(1));
  it('bursts 4× for two seconds of every ten', () => {
    expect([0, 1.9, 2, 9.9, 10.5].map((s) => patternFactor('burst', s))).toEqual([4, 4, 0.25, 0.25, 4]);
  });
  it('waves between 0.2× and 1.8×', () => {
    expect(patternFactor('wave', 5)).toBeCloseTo(1.8);
    expect(patternFactor('wave', 15)).toBeCloseTo(0.2);
  });
});

describe('makePayload', () => {
  it('fills each field from its template', () => {
    const payload = makePayload(
      {
        orderId: { kind: 'id' },
        n: { kind: 'sequence' },
        amount: { kind: 'number', min: 10, max: 20, decimals: 2 },
        country: { kind: 'choice', options: ['DE', 'FR'] },
      },
      42,
      () => 0.5,
    );
    expect(payload).toEqual({ orderId: expect.stringMatching(/^[0-9a-f]{8}$/), n: 42, amount: 15, country: 'FR' });
  });
});

describe('TickBudget', () => {
  it('gives whole events and carries the fraction', () => {
    const budget = new TickBudget();
    const counts = Array.from({ length: 40 }, () => budget.take(2.5, 50));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(5);
  });
});
