import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** `WS /live`: the live feed. Commands are plain HTTP; this socket only carries state to the browser. */
export const liveRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/live', { websocket: true }, (socket, request) => request.workspace.hub.add(socket));
};
