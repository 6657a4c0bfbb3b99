import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMPTY_TOPOLOGY, type Snapshot, type Topology } from '@lab/model';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Runtime } from '../runtime/runtime.js';
import { EventLog } from '../telemetry/log.js';
import { TopologyStore } from '../topology-store.js';
import { LabEngine } from './engine.js';
import { loadLabs } from './loader.js';

const LABS = fileURLToPath(new URL('../../../labs', import.meta.url));

/** The runtime's command surface, recorded: the scenario player is about timing, not Kafka. */
function recordingRuntime() {
  const calls: string[] = [];
  const runtime = {
    isRunning: false,
    run: async () => void calls.push('run'),
    stop: async () => void calls.push('stop'),
    reset: async () => void calls.push('reset'),
    replace: async (topology: Topology, save: (t: Topology) => Promise<void>) => {
      calls.push('apply');
      await save(topology);
    },
    setRate: async (node: string, perSecond: number) => void calls.push(`rate ${node} ${perSecond}`),
    action: async (node: string, request: { action: string }) => {
      calls.push(`${request.action} ${node}`);
      return '';
    },
    current: EMPTY_TOPOLOGY as Topology,
  };
  return { calls, runtime: runtime as unknown as Runtime };
}

afterEach(() => vi.useRealTimers());

describe('the scenario player', () => {
  it('fires each event at its time, pauses, resumes, and restarts from the beginning', async () => {
    vi.useFakeTimers();
    const { labs } = loadLabs(LABS);
    const { calls, runtime } = recordingRuntime();
    const dataDir = mkdtempSync(join(tmpdir(), 'engine-'));
    const log = new EventLog();
    const engine = new LabEngine({ labs, runtime, store: new TopologyStore(dataDir, 'lab.'), log, dataDir });
    await engine.start('event-driven-flow'); // its scenario: run at 5 s, crash payments at 15 s, revive at 35 s, stop checkout at 55 s
    calls.length = 0;

    engine.playScenario();
    await vi.advanceTimersByTimeAsync(5_100);
    expect(calls).toEqual(['run']);
    engine.pauseScenario();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toEqual(['run']); // paused: nothing fires
    engine.playScenario();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toEqual(['run', 'crash payments']);
    expect(engine.progress()?.scenario).toMatchObject({ playing: true, fired: 2, total: 4 });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(calls).toEqual(['run', 'crash payments', 'revive payments']);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(calls).toEqual(['run', 'crash payments', 'revive payments', 'rate checkout 0']);
    expect(engine.progress()?.scenario.playing).toBe(false); // the end of the timeline

    engine.restartScenario();
    expect(engine.progress()?.scenario).toMatchObject({ playing: false, elapsedMs: 0, fired: 0 });
    expect(log.recent().map((e) => e.message)).toContain('Scenario at 15s: Crash Payments');
    engine.close();
  });
});

/** A snapshot of lab 3's topology with the numbers a step looks at. */
function snapshot(numbers: { outRate?: number; inRate?: number; lag?: number; status?: string }): Snapshot {
  const node = (status: string, inRate: number, outRate: number) => ({
    status,
    instances: [],
    inRate,
    outRate,
    errorRate: 0,
    inFlight: 0,
    p50Ms: 1,
    p99Ms: 2,
    processed: 0,
    failed: 0,
  });
  return {
    running: true,
    kafka: { status: 'up', brokers: [], managed: true },
    nodes: {
      checkout: node('running', 0, numbers.outRate ?? 25),
      payments: node(numbers.status ?? 'running', numbers.inRate ?? 25, 0),
    },
    links: { consume: { rate: 25, errorRate: 0, timeoutRate: 0, p99Ms: 1, lag: numbers.lag ?? 0, samples: [] } },
    topics: {},
    flows: {},
  } as Snapshot;
}

async function engineOn(labId: string) {
  const { labs } = loadLabs(LABS);
  const { calls, runtime } = recordingRuntime();
  const loaded = labs.find((l) => l.lab.id === labId)!;
  (runtime as unknown as { current: Topology }).current = loaded.topologies.get(loaded.lab.topology)!;
  const dataDir = mkdtempSync(join(tmpdir(), 'engine-'));
  const store = new TopologyStore(dataDir, 'lab.');
  const engine = new LabEngine({ labs, runtime, store, log: new EventLog(), dataDir });
  return { engine, calls, store, dataDir, labs, runtime };
}

describe('a learner-paced step', () => {
  it('turns green only after minSeconds, keeps measuring until Continue, and explains its conditions meanwhile', async () => {
    const { engine } = await engineOn('event-driven-flow');
    await engine.start('event-driven-flow');
    const t0 = engine.progress()!.step!.startedAt;
    // Lab 3, step "run": payments.inRate > 15 for 3 s and keeping up with checkout, minSeconds 8.
    engine.evaluate(snapshot({ inRate: 10 }), t0 + 100);
    const waiting = engine.progress()!.step!.conditions;
    expect(waiting[0]).toEqual({
      label: 'input rate of Payments',
      value: '10 ev/s',
      target: '> 15 ev/s for 3 s',
      holds: false,
      met: false,
    });
    expect(waiting[1]).toMatchObject({
      label: 'Payments keeps up with Checkout',
      target: '>= 0.8 × output rate of Checkout (now 20 ev/s) for 3 s',
      holds: false,
    });
    expect(() => engine.continue(t0 + 200)).toThrow(
      'Step "Start the flow" is not done yet: input rate of Payments is 10 ev/s, needs > 15 ev/s for 3 s',
    );
    for (let t = 1_000; t <= 5_000; t += 1_000) engine.evaluate(snapshot({ inRate: 25 }), t0 + t);
    // The check holds (3 s) but the step has only been open 5 s of its 8.
    expect(engine.progress()!.steps[0]!.done).toBe(false);
    expect(engine.progress()!.step!.conditions.every((c) => c.met)).toBe(true);
    expect(() => engine.continue(t0 + 5_000)).toThrow('Step "Start the flow" is not done yet: watch it 3 s more');
    engine.evaluate(snapshot({ inRate: 25, outRate: 30 }), t0 + 8_000);
    expect(engine.progress()!.steps[0]).toMatchObject({ done: true, doneAt: t0 + 8_000 });
    expect(engine.progress()!.current).toBe(0); // green, still open: the learner reads
    // The numbers keep moving until Continue, and the explanation with them.
    engine.evaluate(snapshot({ inRate: 25, outRate: 40 }), t0 + 9_000);
    const live = engine.progress()!.steps[0]!.explanation!;
    const finished = engine.continue(t0 + 10_000);
    expect(finished.explanation).toBe(live);
    expect(finished.values.rate).toBeCloseTo((25 * 7 + 30 + 40) / 9, 0);
    expect(engine.progress()!.current).toBe(1);
    expect(engine.progress()!.steps[0]!.explanation).toBe(live); // frozen from now on
    engine.evaluate(snapshot({ inRate: 25, outRate: 99 }), t0 + 11_000);
    expect(engine.progress()!.steps[0]!.values).toEqual(finished.values);
  });

  it('measures a duration from a condition to another and offers it to the explanation', async () => {
    const { engine } = await engineOn('event-driven-flow');
    await engine.start('event-driven-flow');
    const t0 = Date.now();
    // Skip to "recover": drainTime from payments running until lag 0.
    const skip = () => {
      for (let t = 10_000; t <= 26_000; t += 1_000) engine.evaluate(snapshot({ lag: 500, status: 'down' }), t0 + t);
    };
    for (let t = 0; t <= 10_000; t += 1_000) engine.evaluate(snapshot({}), t0 + t);
    engine.continue(t0 + 10_000);
    skip();
    engine.continue(t0 + 26_000);
    engine.evaluate(snapshot({ lag: 400, status: 'down' }), t0 + 27_000);
    engine.evaluate(snapshot({ lag: 300, status: 'running' }), t0 + 28_000);
    engine.evaluate(snapshot({ lag: 10 }), t0 + 32_000);
    engine.evaluate(snapshot({ lag: 0 }), t0 + 34_500);
    engine.evaluate(snapshot({ lag: 0 }), t0 + 37_000);
    const step = engine.progress()!.steps[2]!;
    expect(step.done).toBe(true);
    expect(step.values).toMatchObject({ peakLag: 400, drainTime: 6.5 });
    expect(step.explanation).toContain(
      'The backlog peaked at 400 events and drained to zero 6.5 s after Payments was back.',
    );
  });

  it('lets the scenario player continue by itself', async () => {
    vi.useFakeTimers();
    const { engine } = await engineOn('event-driven-flow');
    await engine.start('event-driven-flow');
    engine.playScenario();
    const t0 = Date.now();
    for (let t = 0; t <= 9_000; t += 1_000) engine.evaluate(snapshot({}), t0 + t);
    expect(engine.progress()!.current).toBe(1);
    engine.close();
  });
});

describe('a predict step', () => {
  it('waits for the prediction, then records the measured blast radius', async () => {
    const { engine } = await engineOn('rest-chain');
    await engine.start('rest-chain');
    const t0 = Date.now();
    const chain = (bank: string, errors: Record<string, number>) =>
      ({
        ...snapshot({}),
        nodes: Object.fromEntries(
          ['shop', 'checkout', 'payments', 'bank'].map((id) => [
            id,
            {
              ...snapshot({}).nodes.payments!,
              status: id === 'bank' ? bank : 'running',
              inRate: 20,
              errorRate: errors[id] ?? 0,
            },
          ]),
        ),
        links: { authorize: { rate: 20, errorRate: 0, timeoutRate: 0, p99Ms: 1, samples: [] } },
        flows: { shop: { p50Ms: 1, p99Ms: 100, completed: 10 } },
      }) as Snapshot;
    for (let t = 0; t <= 12_000; t += 1_000) engine.evaluate(chain('running', {}), t0 + t);
    engine.continue(t0 + 12_000);
    expect(() => engine.continue()).toThrow('Step "Crash the last service" waits for your prediction');
    expect(() => engine.predict(['bank'])).toThrow('"bank" is where the fault is applied');
    expect(() => engine.predict(['ghost'])).toThrow('No node "ghost" in this lab\'s topology');
    // Not predicted yet: nothing is watched, even if the fault happens.
    engine.evaluate(chain('down', { shop: 1 }), t0 + 13_000);
    expect(engine.progress()!.step!.prediction).toEqual({ cause: ['bank'], suffered: [], reasons: {} });
    engine.predict(['payments', 'checkout'], t0 + 14_000);
    expect(() => engine.predict(['shop'])).toThrow('already made');
    for (let t = 15_000; t <= 31_000; t += 1_000)
      engine.evaluate(chain('down', { payments: 1, checkout: 1, shop: 1 }), t0 + t);
    const prediction = engine.progress()!.steps[1]!;
    expect(prediction.done).toBe(true);
    const finished = engine.continue(t0 + 31_000);
    expect(finished.prediction).toEqual({
      cause: ['bank'],
      predicted: ['payments', 'checkout'],
      suffered: ['shop', 'checkout', 'payments'],
      reasons: { shop: 'error rate 100%', checkout: 'error rate 100%', payments: 'error rate 100%' },
    });
  });
});

describe("the learner's own topology", () => {
  it('is kept when a lab starts and restored on request', async () => {
    const { engine, store } = await engineOn('event-driven-flow');
    const own = {
      ...EMPTY_TOPOLOGY,
      name: 'My shop',
      nodes: [{ id: 'a', kind: 'topic', label: 'a', partitions: 1, position: { x: 0, y: 0 } }],
    } as Topology;
    await store.save(own);
    await engine.start('event-driven-flow');
    await engine.start('event-driven-flow'); // a restart keeps the first kept topology
    expect(engine.kept()).toEqual({ name: 'My shop', nodes: 1 });
    expect(store.load().topology.name).not.toBe('My shop');
    await engine.restoreKept();
    expect(store.load().topology.name).toBe('My shop');
    expect(engine.progress()).toBeUndefined();
    expect(engine.kept()).toBeNull();
    await expect(engine.restoreKept()).rejects.toThrow('No topology of yours was kept');
    expect(engine.list().find((l) => l.id === 'event-driven-flow')?.status).toBe('in-progress');
  });
});
