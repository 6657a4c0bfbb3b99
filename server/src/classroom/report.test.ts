import { fileURLToPath } from 'node:url';
import type { LabProgress, Measure } from '@lab/model';
import { describe, expect, it } from 'vitest';
import { loadLabs } from '../labs/loader.js';
import { classSummary, measureLabel, median, roomProgress } from './report.js';

const LABS = fileURLToPath(new URL('../../../labs', import.meta.url));

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

  it('names the numbers in words and fills the lab’s own explanation with the room’s medians (lab 4)', () => {
    const { labs } = loadLabs(LABS);
    const lab4 = labs.find((l) => l.lab.id === 'side-by-side')!;
    const topology = lab4.topologies.get(lab4.lab.topology)!;
    const textOf = () => ({ steps: lab4.lab.steps, topology });
    const crashed = (restErr: number, lag: number): LabProgress => ({
      labId: 'side-by-side',
      title: lab4.lab.title,
      current: 2,
      steps: lab4.lab.steps.map((step, i) => ({
        id: step.id,
        title: step.title,
        done: i < 2,
        ...(i === 1 ? { startedAt: 0, doneAt: 20_000, values: { restErr, evErr: 0, lag } } : {}),
      })),
      scenario: { playing: false, elapsedMs: 0, fired: 0, total: 0 },
    });
    const [lab] = classSummary([crashed(100, 300), crashed(94, 250), crashed(90, 400)], textOf);
    const failure = lab!.steps[1]!;
    expect(Object.values(failure.values).map((s) => s.label)).toEqual([
      'orders the REST shop refused during the outage (worst error rate)',
      'orders the event-driven shop refused during the outage (worst error rate)',
      'orders waiting in Kafka for Payments (most)',
    ]);
    expect(failure.explanation).toContain("The REST shop's error rate reached 94%: every order failed");
    expect(failure.explanation).toContain('worst error rate was 0%');
    expect(failure.explanation).toContain('300 events (so far) waited');
    // A step nobody finished has no numbers, and so no explanation with made-up ones.
    expect(lab!.steps[2]!.explanation).toBeUndefined();

    // A measure without a label of its own is named from its metric, in the topology's words.
    expect(measureLabel({ name: 'peak', metric: 'links.e-consume.lag', stat: 'max', unit: 'events' }, topology)).toBe(
      'highest lag on orders → Payments (events)',
    );
    const recovery: Measure = {
      name: 'recovery',
      stat: 'duration',
      from: { metric: 'nodes.rest-payments.status', op: '==', value: 'running' },
      until: { metric: 'nodes.rest-shop.errorRate', op: '<', value: 0.01 },
    };
    expect(measureLabel(recovery, topology)).toBe(
      'time from status of Payments (REST) == running until error rate of Shop (REST) < 1%',
    );
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
