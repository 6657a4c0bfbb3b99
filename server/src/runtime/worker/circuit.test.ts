import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit.js';

describe('CircuitBreaker', () => {
  const make = () => {
    let now = 0;
    const changes: string[] = [];
    const breaker = new CircuitBreaker(
      (s) => changes.push(s),
      3,
      1_000,
      () => now,
    );
    return {
      breaker,
      changes,
      advance: (ms: number) => {
        now += ms;
      },
    };
  };

  it('opens after the threshold of failures in a row and fails fast while open', () => {
    const { breaker, changes } = make();
    for (let i = 0; i < 3; i++) {
      expect(breaker.allow()).toBe(true);
      breaker.failure();
    }
    expect(changes).toEqual(['open']);
    expect(breaker.allow()).toBe(false);
  });

  it('a success resets the count of failures in a row', () => {
    const { breaker } = make();
    breaker.failure();
    breaker.failure();
    breaker.success();
    breaker.failure();
    breaker.failure();
    expect(breaker.current).toBe('closed');
  });

  it('lets one trial through after the open time; success closes, failure re-opens', () => {
    const { breaker, changes, advance } = make();
    for (let i = 0; i < 3; i++) breaker.failure();
    advance(1_000);
    expect(breaker.allow()).toBe(true);
    expect(breaker.current).toBe('half-open');
    expect(breaker.allow()).toBe(false); // only one trial at a time
    breaker.failure();
    expect(breaker.current).toBe('open');
    advance(1_000);
    expect(breaker.allow()).toBe(true);
    breaker.success();
    expect(changes).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });
});
