import { type LabProgress, type Measure, normalizeTopology } from '@lab/model';
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
    const [lab] = classSummary(runs, () => ({
      steps: [{ id: 's0', explain: '', measures: [{ name: 'restErr', metric: 'x', stat: 'max', unit: '%' }] }],
      topology: { version: 1, name: 't', nodes: [], links: [] },
    }));
    expect(lab).toMatchObject({ attendees: 3, completed: 0 });
    expect(lab!.steps[0]).toMatchObject({
      reached: 3,
      done: 2,
      completionRate: 2 / 3,
      medianSeconds: 20,
      values: { restErr: { n: 2, median: 95, min: 90, max: 100, unit: '%', label: 'highest x' } },
    });
    expect(lab!.steps[1]).toMatchObject({
      reached: 2,
      done: 1,
      medianSeconds: 20,
      predictions: { predicted: 1, exact: 1, nodes: { shop: { label: 'shop', predicted: 1, suffered: 1 } } },
    });
    // Nobody finished it: no median, no numbers, nothing made up.
    expect(lab!.steps[2]).toMatchObject({ reached: 1, done: 0, completionRate: 0, values: {} });
    expect(lab!.steps[2]!.medianSeconds).toBeUndefined();
  });

  it('names the numbers in words and fills the lab’s own explanation with the room’s medians', () => {
    const topology = normalizeTopology({
      version: 1,
      name: 'side by side',
      nodes: [
        { id: 'rest-shop', kind: 'source', label: 'Shop (REST)' },
        { id: 'orders', kind: 'topic' },
        { id: 'ev-payments', kind: 'service', label: 'Payments (events)' },
      ],
      links: [{ id: 'e-consume', kind: 'consume', from: 'orders', to: 'ev-payments' }],
    });
    const measures: Measure[] = [
      {
        name: 'restErr',
        metric: 'nodes.rest-shop.errorRate',
        stat: 'max',
        unit: '%',
        label: 'orders the REST shop refused',
      },
      {
        name: 'evErr',
        metric: 'nodes.ev-shop.errorRate',
        stat: 'max',
        unit: '%',
        label: 'orders the event-driven shop refused',
      },
      { name: 'lag', metric: 'links.e-consume.lag', stat: 'max', unit: 'events' },
      {
        name: 'recovery',
        stat: 'duration',
        from: { metric: 'nodes.ev-payments.status', op: '==', value: 'running' },
        until: { metric: 'nodes.rest-shop.errorRate', op: '<', value: 0.01 },
      },
    ];
    const explain =
      'Across the room the REST shop refused {{restErr}} of orders; the event-driven shop {{evErr}}. {{lag}} waited.';
    const finished = (restErr: number, lag: number) =>
      run(1, [{ done: true, startedAt: 0, doneAt: 1_000, values: { restErr, evErr: 0, lag, recovery: 4 } }]);
    const runs = [finished(100, 300), finished(94, 250), finished(90, 400), run(0, [])];
    const [lab] = classSummary(runs, () => ({
      steps: [
        { id: 's0', explain, measures },
        { id: 's1', explain, measures },
      ],
      topology,
    }));
    const step = lab!.steps[0]!;
    expect(Object.fromEntries(Object.entries(step.values).map(([name, s]) => [name, s.label]))).toEqual({
      restErr: 'orders the REST shop refused',
      evErr: 'orders the event-driven shop refused',
      lag: 'highest lag on orders → Payments (events)',
      recovery: 'time from status of Payments (events) == running until error rate of Shop (REST) < 1%',
    });
    expect(step.explanation).toBe(
      'Across the room the REST shop refused 94% of orders; the event-driven shop 0%. 300 events waited.',
    );
    // A step nobody finished has no numbers, and so no explanation with made-up ones.
    expect(lab!.steps[1]!.explanation).toBeUndefined();
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
