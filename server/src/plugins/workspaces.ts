import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Workspaces } from '../workspaces/workspaces.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every lab this server hosts: the default one at `/`, named ones under `/w/<name>/`. */
    workspaces: Workspaces;
  }
}

/**
 * The server's workspaces as a plugin: closing the server closes them (their live feeds, their runtimes, whose
 * instances leave their groups), before the Kafka clients they used (plugins/kafka.ts, registered earlier).
 */
export const workspacesPlugin = fp(
  async (app: FastifyInstance, { workspaces }: { workspaces: Workspaces }) => {
    app.decorate('workspaces', workspaces);
    app.addHook('onClose', async () => workspaces.close());
  },
  { name: 'workspaces', fastify: '5.x' },
);
