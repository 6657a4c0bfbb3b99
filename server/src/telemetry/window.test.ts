import { describe, expect, it } from 'vitest';
import { CountWindow, LatencyWindow, percentile } from './window.js';

describe('CountWindow', () => {
  it('turns counts into a per-second rate over the window, and forgets what left it', () => {
    let now = 0;
    const window = new CountWindow(2_000, 250, () => now);
    for (let t = 0; t < 2_000; t += 100) {
      now = t;
      window.add(5); // 50 per second
    }
    expect(window.perSecond()).toBe(50);
    now = 4_500; // two seconds after the last add: everything before fell out
    window.add(1);
    expect(window.total()).toBe(1);
    now = 10_000;
    expect(window.perSecond()).toBe(0);
  });
});

describe('LatencyWindow', () => {
  it('reports p50 and p99 of recent samples only', () => {
    let now = 0;
    const window = new LatencyWindow(1_000, 10_000, () => now);
    window.add(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(window.percentiles()).toEqual([50, 99]);
    now = 2_000;
    expect(window.percentiles()).toEqual([0, 0]);
  });

  it('keeps at most its cap of samples', () => {
    const window = new LatencyWindow(1_000, 10, () => 0);
    window.add(Array.from({ length: 100 }, () => 5));
    window.add([1000]);
    expect(window.percentiles()[1]).toBe(1000);
  });
});

describe('percentile', () => {
  it('picks the nearest rank', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBe(0);
  });
});

describe('LatencyWindow percentiles', () => {
  it('are the nearest-rank values a full sort gives, for any samples', () => {
    for (let round = 0; round < 200; round++) {
      const samples = Array.from({ length: 1 + Math.floor(Math.random() * 600) }, () =>
        Math.random() < 0.3 ? 7 : Math.round(Math.random() * 1000) / 10,
      );
      const window = new LatencyWindow(1_000, 10_000, () => 0);
      window.add(samples);
      const sorted = [...samples].sort((a, b) => a - b);
      expect(window.percentiles()).toEqual([percentile(sorted, 0.5), percentile(sorted, 0.99)]);
    }
  });
});
