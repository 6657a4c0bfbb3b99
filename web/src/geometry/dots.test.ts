import { describe, expect, it } from 'vitest';
import { dotAllowance, dotKeyframes, dotsForRate, MAX_DOTS, MAX_TOTAL_DOTS, samplePath } from './dots';

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

describe('samplePath', () => {
  it('spaces points evenly along a Bézier from its start to its end', () => {
    const points = samplePath('M0,0 C50,0 50,0 100,0')!;
    expect(points[0]).toBe(0);
    expect(points.at(-2)).toBeCloseTo(100);
    const xs = points.filter((_, i) => i % 2 === 0);
    const steps = xs.slice(1).map((x, i) => x - xs[i]!);
    for (const step of steps) expect(step).toBeCloseTo(100 / steps.length, 1);
  });

  it('leaves any other shape to the browser', () => {
    expect(samplePath('M0,0 L10,10')).toBeUndefined();
    expect(samplePath('')).toBeUndefined();
  });
});

describe('dotKeyframes', () => {
  it('moves a dot from the path start to its end', () => {
    const frames = dotKeyframes('M0,0 C50,0 50,0 100,0')!;
    expect(frames[0]).toEqual({ transform: 'translate(0.0px,0.0px)' });
    expect(frames.at(-1)).toEqual({ transform: 'translate(100.0px,0.0px)' });
  });
});

describe('dotAllowance', () => {
  it('shares the canvas budget between links, about MAX_TOTAL_DOTS in all', () => {
    expect(dotAllowance('a', 10)).toBe(MAX_TOTAL_DOTS / 10);
    const ids = Array.from({ length: 1000 }, (_, i) => `c${i}`);
    const total = ids.reduce((sum, id) => sum + dotAllowance(id, ids.length), 0);
    expect(total).toBeGreaterThan(MAX_TOTAL_DOTS * 0.8);
    expect(total).toBeLessThan(MAX_TOTAL_DOTS * 1.2);
  });
});
