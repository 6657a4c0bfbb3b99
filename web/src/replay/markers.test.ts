import type { LabProgress, LogEntry } from '@lab/model';
import { describe, expect, it } from 'vitest';
import { clockOf, markersOf } from './markers';

const entry = (at: number, kind: LogEntry['kind'], message: string): LogEntry => ({
  seq: at,
  at,
  level: 'info',
  kind,
  message,
});

describe('timeline markers', () => {
  it('mark faults, recoveries, rebalances and finished steps within the range, in time order', () => {
    const log = [
      entry(5, 'fault', 'too early'),
      entry(30, 'rebalance', 'group rebalanced'),
      entry(20, 'fault', 'Payments crashed'),
      entry(40, 'revive', 'Payments revived'),
      entry(45, 'edit', 'not a moment to mark'),
    ];
    const lab = { steps: [{ id: 'a', title: 'Crash', done: true, doneAt: 35 }] } as LabProgress;
    expect(markersOf(log, lab, 10, 100)).toEqual([
      { at: 20, kind: 'fault', label: 'Payments crashed' },
      { at: 30, kind: 'rebalance', label: 'group rebalanced' },
      { at: 35, kind: 'step', label: 'Step done: Crash' },
      { at: 40, kind: 'recover', label: 'Payments revived' },
    ]);
  });

  it('show positions as m:ss', () => {
    expect(clockOf(0)).toBe('0:00');
    expect(clockOf(61_900)).toBe('1:01');
  });
});
