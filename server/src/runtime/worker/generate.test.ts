import { describe, expect, it } from 'vitest';
import { makePayload, patternFactor, RandomArrivals, TickBudget } from './generate.js';

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

describe('RandomArrivals', () => {
  /** A seeded generator, so the test is the same on every run. */
  const seeded =
    (seed = 42) =>
    () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
  /** The moments (ms) of the events a source ticking every 50 ms makes in `seconds`. */
  const moments = (perSecond: number, seconds: number) => {
    const arrivals = new RandomArrivals(seeded());
    const at: number[] = [];
    for (let now = 0; now <= seconds * 1000; now += 50)
      for (let i = arrivals.take(perSecond, now); i > 0; i--) at.push(now);
    return at;
  };

  it('keeps the average rate', () => {
    expect(moments(2, 2_000).length / 2_000).toBeCloseTo(2, 1);
    expect(moments(200, 100).length / 100).toBeCloseTo(200, -1);
  });

  it('spreads events at random moments: gaps vary as much as they average (an even source: not at all)', () => {
    const at = moments(2, 2_000);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    expect(mean).toBeCloseTo(500, -2);
    expect(sd / mean).toBeGreaterThan(0.85); // exponential gaps: 1
    // The phase against a poller asking every second is spread over the whole second, not stuck at one value.
    const phases = at.map((t) => t % 1000);
    const quarters = [0, 1, 2, 3].map((q) => phases.filter((p) => Math.floor(p / 250) === q).length / phases.length);
    for (const share of quarters) expect(share).toBeCloseTo(0.25, 1);
  });

  it('makes nothing at rate 0 and starts afresh when the rate changes', () => {
    const arrivals = new RandomArrivals(seeded());
    expect(arrivals.take(0, 0)).toBe(0);
    expect(arrivals.take(0, 10_000)).toBe(0);
    let made = 0;
    for (let now = 10_000; now <= 20_000; now += 50) made += arrivals.take(1_000, now);
    expect(made).toBeGreaterThan(9_000);
  });
});
