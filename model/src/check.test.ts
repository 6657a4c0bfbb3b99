import { describe, expect, it } from 'vitest';
import {
  advanceCheck,
  type CheckState,
  fillExplanation,
  initialCheckState,
  readMetric,
  recordMeasures,
} from './check.js';
import type { Check } from './lab.js';

const snap = (lag: number, status = 'running') => ({
  running: true,
  nodes: { 'orders.v2': { status, inRate: 10 } },
  links: { consume: { lag } },
});

function run(check: Check, frames: [number, unknown][]): CheckState {
  let state = initialCheckState();
  for (const [now, snapshot] of frames) state = advanceCheck(check, state, snapshot, now);
  return state;
}

describe('readMetric', () => {
  it('reads dotted paths, with ids that contain dots', () => {
    expect(readMetric(snap(5), 'nodes.orders.v2.inRate')).toBe(10);
    expect(readMetric(snap(5), 'links.consume.lag')).toBe(5);
    expect(readMetric(snap(5), 'running')).toBe(true);
    expect(readMetric(snap(5), 'nodes.ghost.inRate')).toBeUndefined();
  });
});

describe('advanceCheck', () => {
  it('all: every condition, each for its duration', () => {
    const check: Check = {
      all: [
        { metric: 'links.consume.lag', op: '<', value: 10, for: '2s' },
        { metric: 'nodes.orders.v2.status', op: '==', value: 'running' },
      ],
    };
    expect(
      run(check, [
        [0, snap(5)],
        [1_000, snap(5)],
      ]).done,
    ).toBe(false);
    expect(
      run(check, [
        [0, snap(5)],
        [2_000, snap(5)],
      ]).done,
    ).toBe(true);
    // A break resets the clock.
    expect(
      run(check, [
        [0, snap(5)],
        [1_000, snap(50)],
        [2_500, snap(5)],
      ]).done,
    ).toBe(false);
  });

  it('any: one condition is enough', () => {
    const check: Check = {
      any: [
        { metric: 'links.consume.lag', op: '>', value: 100 },
        { metric: 'nodes.orders.v2.status', op: '==', value: 'down' },
      ],
    };
    expect(run(check, [[0, snap(5, 'down')]]).done).toBe(true);
    expect(run(check, [[0, snap(5)]]).done).toBe(false);
  });

  it('sequence: "lag rose above 50, then returned to 0", in that order', () => {
    const check: Check = {
      sequence: [
        { metric: 'links.consume.lag', op: '>', value: 50 },
        { metric: 'links.consume.lag', op: '==', value: 0, for: '1s' },
      ],
    };
    expect(
      run(check, [
        [0, snap(0)],
        [500, snap(0)],
        [2_000, snap(0)],
      ]).done,
    ).toBe(false); // never rose
    const state = run(check, [
      [0, snap(0)],
      [100, snap(80)],
      [200, snap(20)],
      [300, snap(0)],
    ]);
    expect(state).toMatchObject({ position: 1, done: false });
    expect(advanceCheck(check, state, snap(0), 1_300).done).toBe(true);
  });

  it('a missing metric never holds', () => {
    expect(run({ all: [{ metric: 'nodes.ghost.inRate', op: '>=', value: 0 }] }, [[0, snap(0)]]).done).toBe(false);
  });
});

describe('measures and explanations', () => {
  it('writes "1 event" but "2 events", and leaves ms alone', () => {
    const measures = [
      { name: 'n', metric: 'links.consume.lag', stat: 'last' as const, unit: 'events' },
      { name: 't', metric: 'links.consume.lag', stat: 'last' as const, unit: 'ms' },
    ];
    expect(fillExplanation('{{n}}, {{t}}', measures, recordMeasures(measures, {}, snap(1)))).toBe('1 event, 1 ms');
    expect(fillExplanation('{{n}}', measures, recordMeasures(measures, {}, snap(2)))).toBe('2 events');
  });

  it('records max, mean, last and fills them into the explanation with units', () => {
    const measures = [
      { name: 'peakLag', metric: 'links.consume.lag', stat: 'max' as const, unit: 'msgs' },
      { name: 'meanLag', metric: 'links.consume.lag', stat: 'mean' as const },
      { name: 'never', metric: 'nodes.ghost.inRate', stat: 'last' as const },
    ];
    let state = {};
    for (const lag of [10, 1500, 20]) state = recordMeasures(measures, state, snap(lag));
    expect(
      fillExplanation('Lag peaked at {{peakLag}}, {{ meanLag }} on average; {{never}}; {{unknown}}.', measures, state),
    ).toBe('Lag peaked at 1,500 msgs, 510 on average; —; {{unknown}}.');
  });
});

describe('comparing two metrics', () => {
  it('holds against another metric times a factor', () => {
    const snapshot = { nodes: { a: { inRate: 9 }, b: { outRate: 10 } } };
    const condition = { metric: 'nodes.a.inRate', op: '>=' as const, than: 'nodes.b.outRate', times: 0.8 };
    expect(advanceCheck({ all: [condition] }, initialCheckState(), snapshot, 0).done).toBe(true);
    expect(advanceCheck({ all: [{ ...condition, times: 1 }] }, initialCheckState(), snapshot, 0).done).toBe(false);
    // A missing other metric never holds.
    expect(
      advanceCheck({ all: [{ ...condition, than: 'nodes.c.outRate' }] }, initialCheckState(), snapshot, 0).done,
    ).toBe(false);
  });
});

describe('duration measures', () => {
  it('count from their from-condition (or the step start) until their until-condition', () => {
    const measures = [
      {
        name: 'recovery',
        stat: 'duration' as const,
        from: { metric: 'nodes.p.status', op: '==' as const, value: 'running' },
        until: { metric: 'links.c.lag', op: '==' as const, value: 0 },
      },
      { name: 'untilCalm', stat: 'duration' as const, until: { metric: 'links.c.lag', op: '<' as const, value: 5 } },
    ];
    const frame = (status: string, lag: number) => ({ nodes: { p: { status } }, links: { c: { lag } } });
    let state = recordMeasures(measures, {}, frame('down', 50), 1_000, 0);
    state = recordMeasures(measures, state, frame('running', 40), 2_000, 0);
    state = recordMeasures(measures, state, frame('running', 3), 5_000, 0);
    state = recordMeasures(measures, state, frame('running', 0), 6_500, 0);
    state = recordMeasures(measures, state, frame('down', 90), 9_000, 0); // ended: later frames change nothing
    expect(fillExplanation('{{recovery}} / {{untilCalm}}', measures, state)).toBe('4.5 s / 5 s');
  });

  it('shows a share measured in % as a percentage', () => {
    const measures = [{ name: 'err', metric: 'nodes.a.errorRate', stat: 'max' as const, unit: '%' }];
    const state = recordMeasures(measures, {}, { nodes: { a: { errorRate: 0.9534 } } });
    expect(fillExplanation('reached {{err}}', measures, state)).toBe('reached 95.3%');
  });
});
