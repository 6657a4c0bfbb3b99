import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABS_DIR } from '../src/lab.js';
import { loadLabs } from '../src/labs/loader.js';
import { type LabHarness, startLab } from './lab-harness.js';

const { labs } = loadLabs(LABS_DIR);

// Every lab's solution runs headlessly against the real broker and completes every step.
describe.each(labs.map((l) => [l.lab.id, l] as const))('lab %s, solved headlessly', (_, loaded) => {
  let h: LabHarness;
  beforeAll(async () => {
    h = await startLab();
  });
  afterAll(() => h.close());

  it('completes every step, with the measured numbers filled in', async () => {
    expect((await h.post(`/api/labs/${loaded.lab.id}/start`)).status).toBe(200);
    for (const [index, step] of loaded.lab.steps.entries()) {
      for (const command of loaded.solution?.steps[step.id] ?? []) {
        const res = await h.post('/api/labs/command', { command });
        expect(res.status, `step ${step.id}: ${JSON.stringify(command)} → ${JSON.stringify(res.body)}`).toBe(200);
      }
      await h.until(`step "${step.id}" done`, (s) => s.lab?.steps[index]?.done === true, 60_000);
    }
    const progress = h.state().lab!;
    expect(progress.current).toBe(loaded.lab.steps.length);
    for (const step of progress.steps) {
      expect(step.explanation, step.id).toBeDefined();
      expect(step.explanation, step.id).not.toMatch(/\{\{/);
    }
    console.log(
      `${loaded.lab.id}:\n${progress.steps.map((s) => `  ${s.id}: ${s.explanation?.trim().split('\n')[0]}`).join('\n')}`,
    );
  });
});
