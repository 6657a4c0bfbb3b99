import { NodeActionRequest, RateRequest } from '@lab/model';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';

const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });

/** `POST /api/nodes/:id/actions` (break and mend a service) and `POST /api/nodes/:id/rate` (a source's rate). */
export const nodeRoutes: FastifyPluginAsync = async (app) => {
  app.post<{ Params: { id: string }; Body: NodeActionRequest }>(
    '/api/nodes/:id/actions',
    { schema: { params: Params, body: NodeActionRequest } },
    async (request) => ({
      ok: true,
      message: await request.workspace.lab.runtime.action(request.params.id, request.body),
    }),
  );
  app.post<{ Params: { id: string }; Body: RateRequest }>(
    '/api/nodes/:id/rate',
    { schema: { params: Params, body: RateRequest } },
    async (request) => {
      await request.workspace.lab.runtime.setRate(request.params.id, request.body.perSecond);
      return { ok: true };
    },
  );
};
