import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './backoff';

describe('reconnectDelayMs', () => {
  it('doubles from 250 ms and caps at 5 s', () => {
    const top = (attempt: number) => reconnectDelayMs(attempt, () => 1);
    expect([1, 2, 3, 4, 5, 6, 10].map(top)).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
  });

  it('spreads reconnects between half and all of the ceiling', () => {
    expect(reconnectDelayMs(3, () => 0)).toBe(500);
    expect(reconnectDelayMs(3, () => 0.5)).toBe(750);
  });
});
