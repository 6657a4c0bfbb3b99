import { describe, expect, it } from 'vitest';
import { callState } from './callState';

describe('callState', () => {
  it('is ok with no numbers yet and below both thresholds', () => {
    expect(callState(undefined)).toBe('ok');
    expect(callState({ errorRate: 0.2, timeoutRate: 0.1 })).toBe('ok');
  });

  it('is red above 20% errors and amber above 10% timeouts, red first', () => {
    expect(callState({ errorRate: 0.21, timeoutRate: 0 })).toBe('failing');
    expect(callState({ errorRate: 0.05, timeoutRate: 0.11 })).toBe('timing-out');
    expect(callState({ errorRate: 0.5, timeoutRate: 0.5 })).toBe('failing');
  });
});
