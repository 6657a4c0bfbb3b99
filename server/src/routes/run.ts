import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Ok, ResetDone } from '@lab/model';

/** `POST /api/run`, `/api/stop`, `/api/reset`: plain commands; their effects show in the live feed. */
export const runRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/run', { schema: { response: { 200: Ok } } }, async (request) => {
    await request.workspace.lab.runtime.run();
    return { ok: true } as const;
  });
  app.post('/api/stop', { schema: { response: { 200: Ok } } }, async (request) => {
    await request.workspace.lab.runtime.stop();
    return { ok: true } as const;
  });
  app.post('/api/reset', { schema: { response: { 200: ResetDone } } }, async (request) => {
    const removed = await request.workspace.lab.runtime.reset();
    return { ok: true, removed } as const;
  });
};
