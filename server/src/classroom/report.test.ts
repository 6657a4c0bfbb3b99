import type { LabProgress } from '@lab/model';
import { describe, expect, it } from 'vitest';
import { classSummary, median, roomProgress } from './report.js';

// The class summary counts only what was measured: medians over those who finished a step, predictions
// against the blast radius each run measured, and each number in the unit its lab measures it.

const run = (current: number, finished: Partial<LabProgress['steps'][number]>[]): LabProgress => ({
  labId: 'side-by-side',
  title: 'REST and events',
  current,
  steps: [0, 1, 2].map((i) => ({ id: `s${i}`, title: `Step ${i}`, done: false, ...finished[i] })),
  scenario: { playing: false, elapsedMs: 0, fired: 0, total: 0 },
});

describe('the class summary', () => {
  it('gives completion rates, median times, predictions and the room’s numbers per step', () => {
    const runs = [
      run(2, [
        { done: true, startedAt: 0, doneAt: 10_000, values: { restErr: 100 } },
        {
          done: true,
          startedAt: 20_000,
          doneAt: 40_000,
          values: { restErr: 94 },
          prediction: { cause: ['pay'], predicted: ['shop', 'checkout'], suffered: ['checkout', 'shop'], reasons: {} },
        },
      ]),
      run(1, [{ done: true, startedAt: 0, doneAt: 30_000, values: { restErr: 90 } }]),
      run(0, []),
    ];
    const [lab] = classSummary(runs, (_lab, step) =>
      step === 's0' ? [{ name: 'restErr', metric: 'x', stat: 'max', unit: '%' }] : [],
    );
    expect(lab).toMatchObject({ attendees: 3, completed: 0 });
    expect(lab!.steps[0]).toMatchObject({
      reached: 3,
      done: 2,
      completionRate: 2 / 3,
      medianSeconds: 20,
      values: { restErr: { n: 2, median: 95, min: 90, max: 100, unit: '%' } },
    });
    expect(lab!.steps[1]).toMatchObject({
      reached: 2,
      done: 1,
      medianSeconds: 20,
      predictions: { predicted: 1, exact: 1, nodes: { shop: { predicted: 1, suffered: 1 } } },
    });
    // Nobody finished it: no median, no numbers, nothing made up.
    expect(lab!.steps[2]).toMatchObject({ reached: 1, done: 0, completionRate: 0, values: {} });
    expect(lab!.steps[2]!.medianSeconds).toBeUndefined();
  });

  it('counts the room per step: done, and on it now', () => {
    const [lab] = roomProgress([run(1, [{ done: true }]), run(1, [{ done: true }, { done: true }]), run(0, [])]);
    expect(lab!.steps.map((s) => [s.done, s.working])).toEqual([
      [2, 1],
      [1, 1],
      [0, 0],
    ]);
  });

  it('takes the middle of an even count as the mean of the two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
});
