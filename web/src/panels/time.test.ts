import { describe, expect, it } from 'vitest';
import { relativeTime } from './time';

describe('relativeTime', () => {
  const start = 1_700_000_000_000;

  it('counts tenths of seconds from the start of the run', () => {
    expect(relativeTime(start, start)).toBe('t+0.0 s');
    expect(relativeTime(start + 12_400, start)).toBe('t+12.4 s');
    expect(relativeTime(start + 12_449, start)).toBe('t+12.4 s');
    expect(relativeTime(start + 125_000, start)).toBe('t+125.0 s');
  });

  it('counts down to the start for entries before it', () => {
    expect(relativeTime(start - 3_000, start)).toBe('t−3.0 s');
  });

  it('shows the clock time when no run has started', () => {
    expect(relativeTime(new Date(2024, 0, 1, 9, 5, 7).getTime(), undefined)).toBe('09:05:07');
  });
});
