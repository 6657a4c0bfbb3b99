import type { FastifyInstance } from 'fastify';
import type { Lab } from '../lab.js';
import type { LoadedLab } from './loader.js';

/**
 * Plays a lab's solution through the HTTP API, as a learner would: starts the lab, predicts where a step asks
 * for it, runs the step's commands, waits for the step to turn green, presses Continue. Used to record every
 * lab's solution for the static demo, and by tests. Throws, naming the step, on any refusal or a step that
 * does not turn green in time.
 */
export async function solveLab(
  app: FastifyInstance,
  lab: Lab,
  loaded: LoadedLab,
  options: { stepTimeoutMs?: number } = {},
): Promise<void> {
  const post = async (url: string, payload: object = {}) => {
    const res = await app.inject({ method: 'POST', url, payload });
    if (res.statusCode !== 200)
      throw new Error(`${loaded.lab.id}: POST ${url} ${JSON.stringify(payload)} → ${res.body}`);
    return res.json() as Record<string, unknown>;
  };
  await post(`/api/labs/${loaded.lab.id}/start`);
  for (const [index, step] of loaded.lab.steps.entries()) {
    if (step.predict) await post('/api/labs/predict', { nodes: loaded.solution?.predictions?.[step.id] ?? [] });
    for (const command of loaded.solution?.steps[step.id] ?? []) await post('/api/labs/command', { command });
    const deadline = Date.now() + (options.stepTimeoutMs ?? 60_000);
    while (lab.live.snapshot().lab?.steps[index]?.done !== true) {
      if (Date.now() > deadline) throw new Error(`${loaded.lab.id}: step "${step.id}" did not turn green in time`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await post('/api/labs/continue');
  }
}
