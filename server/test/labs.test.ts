import { explanationProblems, type LabProgress, type Snapshot } from '@lab/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABS_DIR } from '../src/lab.js';
import { loadLabs } from '../src/labs/loader.js';
import { type LabHarness, startLab } from './lab-harness.js';

const { labs } = loadLabs(LABS_DIR);

// Every lab's solution runs headlessly against the real broker and completes every step: it predicts where a
// step asks for it, runs the step's commands, waits for green, presses Continue, and checks that the
// explanation it froze agrees with the snapshot its numbers came from. Minimum step times are shortened.
describe.each(labs.map((l) => [l.lab.id, l] as const))('lab %s, solved headlessly', (_, loaded) => {
  let h: LabHarness;
  beforeAll(async () => {
    h = await startLab({ minSecondsScale: 0.2 });
  });
  afterAll(() => h.close());

  it('completes every step, with explanations that agree with the snapshot they came from', async () => {
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
      }
      await h.until(`step "${step.id}" done`, (s) => s.lab?.steps[index]?.done === true, 60_000);
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
    console.log(`${loaded.lab.id}:\n${lines.join('\n')}`);
  });
});
