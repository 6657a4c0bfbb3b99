import { emptySnapshot } from '@lab/model';
import { describe, expect, it } from 'vitest';
import { HISTORY_MS, LiveHistory } from './history';

const kafka = { status: 'up' as const, brokers: [], managed: true };
const state = (startedAt: number, running = true) => ({ ...emptySnapshot(kafka), running, startedAt });

describe('the live history a rewind scrubs', () => {
  it('gives the state shown at any moment, and forgets what is older than its window', () => {
    const history = new LiveHistory();
    const a = state(1);
    const b = { ...state(1), running: false };
    history.add(1_000, a);
    history.add(2_000, b);
    expect(history.at(1_500)).toBe(a);
    expect(history.at(2_000)).toBe(b);
    expect(history.at(0)).toBe(a);
    history.add(2_000 + HISTORY_MS, state(1));
    expect(history.first).toBe(2_000);
  });

  it('starts over with a new run, not with a stop', () => {
    const history = new LiveHistory();
    history.add(1_000, state(1));
    history.add(1_500, { ...emptySnapshot(kafka), running: false });
    expect(history.first).toBe(1_000);
    history.add(2_000, state(2));
    expect(history.first).toBe(2_000);
  });
});
