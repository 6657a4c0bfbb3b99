import type { FastifyPluginAsync } from 'fastify';
import type { Lab } from '../lab.js';

/** `POST /api/run`, `/api/stop`, `/api/reset`: plain commands; their effects show in the live feed. */
export const runRoutes: FastifyPluginAsync<{ lab: Lab }> = async (app, { lab }) => {
  app.post('/api/run', async () => {
    await lab.runtime.run();
    return { ok: true };
  });
  app.post('/api/stop', async () => {
    await lab.runtime.stop();
    return { ok: true };
  });
  app.post('/api/reset', async () => {
    const removed = await lab.runtime.reset();
    return { ok: true, removed };
  });
};
