import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NodeActionDone, NodeActionRequest, Ok, RateRequest } from '@lab/model';
import Type from 'typebox';

const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });

/** `POST /api/nodes/:id/actions` (break and mend a service) and `POST /api/nodes/:id/rate` (a source's rate). */
export const nodeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/nodes/:id/actions',
    { schema: { params: Params, body: NodeActionRequest, response: { 200: NodeActionDone } } },
    async (request) => ({
      ok: true as const,
      message: await request.workspace.lab.runtime.action(request.params.id, request.body),
    }),
  );
  app.post(
    '/api/nodes/:id/rate',
    { schema: { params: Params, body: RateRequest, response: { 200: Ok } } },
    async (request) => {
      await request.workspace.lab.runtime.setRate(request.params.id, request.body.perSecond);
      return { ok: true } as const;
    },
  );
};
