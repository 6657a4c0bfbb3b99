import { explanationProblems, type Journey, type LabProgress, type Snapshot } from '@lab/model';
import { describe, type ExpectStatic, it, vi } from 'vitest';
import { LABS_DIR } from '../src/lab.js';
import { type LoadedLab, loadLabs } from '../src/labs/loader.js';
import { type LabHarness, startLab } from './lab-harness.js';

const { labs } = loadLabs(LABS_DIR);

/**
 * Labs solved at the same time, each in a namespace of its own (its own app, runtime, topics and groups on
 * the shared broker). Three keep both cores busy without starving the broker: one at a time took 5.5 minutes,
 * mostly waiting on minimum step times and `for` windows rather than working.
 */
const LABS_AT_ONCE = 3;
vi.setConfig({ maxConcurrency: LABS_AT_ONCE });

/** A followed event's journey is found by id: its hop read from the topic, and every later hop with times. */
async function expectJourney(expect: ExpectStatic, h: LabHarness, traceId: string, topic: string) {
  const get = async (url: string) => {
    const res = await h.app.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.json() as Journey & { error?: string } };
  };
  const { status, body } = await get(`/api/traces/${traceId}`);
  expect(status).toBe(200);
  expect(body.traceId).toBe(traceId);
  const fromTopic = body.hops.find((hop) => 'topic' in hop.input && hop.input.topic === topic);
  expect(fromTopic, JSON.stringify(body.hops)).toBeDefined();
  for (const hop of body.hops) {
    expect(hop.receivedAt).toBeGreaterThanOrEqual(body.originTime);
    expect(hop.finishedAt).toBeGreaterThanOrEqual(hop.workedAt);
    expect(hop.workedAt).toBeGreaterThanOrEqual(hop.startedAt);
    if ('topic' in hop.input) expect(hop.receivedAt).toBeGreaterThanOrEqual(hop.input.appendedAt);
  }
  const missing = await get('/api/traces/no-such-trace');
  expect(missing.status).toBe(404);
  expect(missing.body.error).toMatch(/^No event with trace id "no-such-trace" is known: the lab keeps the journeys/);
}

// Every lab's solution runs headlessly against the real broker and completes every step: it predicts where a
// step asks for it, runs the step's commands, waits for green, presses Continue, and checks that the
// explanation it froze agrees with the snapshot its numbers came from. Minimum step times are shortened.
// The longest labs (by their estimate for a learner) start first, so the last slot does not end alone.
const longestFirst = [...labs].sort((a, b) => b.lab.minutes - a.lab.minutes);
describe.concurrent('labs, solved headlessly', () => {
  it.for(longestFirst.map((l) => [l.lab.id, l] as const))(
    '%s completes every step, with explanations that agree with the snapshot they came from',
    async ([, loaded], { expect }) => {
      const h = await startLab({ minSecondsScale: 0.2 });
      try {
        await solve(expect, h, loaded);
      } finally {
        await h.close();
      }
    },
    300_000,
  );
});

async function solve(expect: ExpectStatic, h: LabHarness, loaded: LoadedLab) {
  const started = Date.now();
  expect((await h.post(`/api/labs/${loaded.lab.id}/start`)).status).toBe(200);
  const lines: string[] = [];
  for (const [index, step] of loaded.lab.steps.entries()) {
    const predicted = loaded.solution?.predictions?.[step.id];
    if (step.predict) {
      const res = await h.post('/api/labs/predict', { nodes: predicted });
      expect(res.status, `predict ${step.id}: ${JSON.stringify(res.body)}`).toBe(200);
    }
    for (const command of loaded.solution?.steps[step.id] ?? []) {
      const res = await h.post('/api/labs/command', { command });
      expect(res.status, `step ${step.id}: ${JSON.stringify(command)} → ${JSON.stringify(res.body)}`).toBe(200);
      if ('follow' in command) await expectJourney(expect, h, res.body.traceId as string, command.follow.topic);
    }
    await h
      .until(`step "${step.id}" done`, (s) => s.lab?.steps[index]?.done === true, 60_000)
      .catch((err) => {
        // Say what the step was waiting on: each condition's live value against its target, and the accounts.
        const s = h.state();
        throw new Error(`${(err as Error).message}: ${JSON.stringify(s.lab?.step)} ${JSON.stringify(s.topics)}`);
      });
    const res = await h.post('/api/labs/continue');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const finished = res.body.step as { explanation: string; values: Record<string, number> };
    expect(finished.explanation, step.id).not.toMatch(/\{\{/);
    expect(explanationProblems(step, finished, res.body.snapshot as Snapshot), step.id).toEqual([]);
    lines.push(`  ${step.id}: ${finished.explanation.trim().split('\n')[0]}`);
  }
  const progress = h.state().lab as LabProgress;
  expect(progress.current).toBe(loaded.lab.steps.length);
  expect(progress.step).toBeUndefined();
  console.log(`${loaded.lab.id} (${Math.round((Date.now() - started) / 1000)} s):\n${lines.join('\n')}`);
}
