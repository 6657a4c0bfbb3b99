import type { LogEntry } from '@lab/model';
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { createLogSlice, LOG_LIMIT, type LogSlice } from './log';

const entry = (seq: number): LogEntry => ({ seq, at: seq * 100, level: 'info', kind: 'run', message: `#${seq}` });

describe('log slice', () => {
  it('appends new entries in order and skips ones already seen', () => {
    const store = createStore<LogSlice>()(createLogSlice);
    store.getState().appendLog([entry(2), entry(1)]);
    store.getState().appendLog([entry(1), entry(2), entry(3)]);
    expect(store.getState().log.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('keeps the last LOG_LIMIT entries, and starts over after a reset', () => {
    const store = createStore<LogSlice>()(createLogSlice);
    store.getState().appendLog(Array.from({ length: LOG_LIMIT + 10 }, (_, i) => entry(i + 1)));
    expect(store.getState().log).toHaveLength(LOG_LIMIT);
    expect(store.getState().log[0]!.seq).toBe(11);
    store.getState().resetLog();
    store.getState().appendLog([entry(1)]);
    expect(store.getState().log.map((e) => e.seq)).toEqual([1]);
  });
});
