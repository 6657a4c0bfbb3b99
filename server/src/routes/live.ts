import type { FastifyPluginAsync } from 'fastify';

/** `WS /live`: the live feed. Commands are plain HTTP; this socket only carries state to the browser. */
export const liveRoutes: FastifyPluginAsync = async (app) => {
  app.get('/live', { websocket: true }, (socket, request) => request.workspace.hub.add(socket));
};
