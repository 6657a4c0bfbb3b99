import { describe, expect, it } from 'vitest';
import { callState, failedShare } from './callState';

describe('callState', () => {
  it('is ok with no numbers yet and below both thresholds', () => {
    expect(callState(undefined)).toBe('ok');
    expect(callState({ errorRate: 0.2, timeoutRate: 0.1 })).toBe('ok');
  });

  it('is red above 20% failed answers and amber above 10% timeouts, red first', () => {
    expect(callState({ errorRate: 0.21, timeoutRate: 0 })).toBe('failing');
    expect(callState({ errorRate: 0.11, timeoutRate: 0.11 })).toBe('timing-out');
    expect(callState({ errorRate: 0.8, timeoutRate: 0.3 })).toBe('failing');
  });

  it('shows a hung callee (every call times out, so every call also counts as an error) as timing out', () => {
    expect(callState({ errorRate: 1, timeoutRate: 1 })).toBe('timing-out');
    expect(failedShare({ errorRate: 1, timeoutRate: 1 })).toBe(0);
  });
});
