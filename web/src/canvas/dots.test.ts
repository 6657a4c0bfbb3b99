import { describe, expect, it } from 'vitest';
import { dotKeyframes, dotsForRate, keyframesName, MAX_DOTS, samplePath } from './dots';

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
    const name = keyframesName('M0,0 C50,0 50,0 100,0');
    expect(name).toMatch(/^[a-z][\w-]*$/);
    const css = dotKeyframes(name, 'M0,0 C50,0 50,0 100,0')!;
    expect(css.startsWith(`@keyframes ${name}{0%{transform:translate(0.0px,0.0px)}`)).toBe(true);
    expect(css.endsWith('100%{transform:translate(100.0px,0.0px)}}')).toBe(true);
  });
});
