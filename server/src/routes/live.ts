import type { FastifyPluginAsync } from 'fastify';
import type { LiveHub } from '../live/hub.js';

/** `WS /live`: the live feed. Commands are plain HTTP; this socket only carries state to the browser. */
export const liveRoutes: FastifyPluginAsync<{ hub: LiveHub }> = async (app, { hub }) => {
  app.get('/live', { websocket: true }, (socket) => hub.add(socket));
};
