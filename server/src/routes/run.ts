import type { FastifyPluginAsync } from 'fastify';

/** `POST /api/run`, `/api/stop`, `/api/reset`: plain commands; their effects show in the live feed. */
export const runRoutes: FastifyPluginAsync = async (app) => {
  app.post('/api/run', async (request) => {
    await request.workspace.lab.runtime.run();
    return { ok: true };
  });
  app.post('/api/stop', async (request) => {
    await request.workspace.lab.runtime.stop();
    return { ok: true };
  });
  app.post('/api/reset', async (request) => {
    const removed = await request.workspace.lab.runtime.reset();
    return { ok: true, removed };
  });
};
