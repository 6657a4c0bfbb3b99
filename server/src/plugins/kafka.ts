import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { KafkaClients } from '../kafka/clients.js';

/** What the server owns of Kafka: the workspaces' clients and the monitor watching the cluster. */
export interface KafkaPluginOptions {
  clients: KafkaClients;
  monitor: { stop(): void };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's outside Kafka clients (registered by main.ts; tests that build a lab alone have none). */
    kafka: KafkaPluginOptions;
  }
}

/**
 * The outside Kafka clients as a plugin: registered first, so Fastify closes it last, after the workspaces
 * (whose instances leave their groups) and before main.ts stops the broker. Closing stops the monitor and
 * closes every workspace's admin and observer still open.
 */
export const kafkaPlugin = fp(
  async (app: FastifyInstance, options: KafkaPluginOptions) => {
    app.decorate('kafka', options);
    app.addHook('onClose', async () => {
      options.monitor.stop();
      await options.clients.close();
    });
  },
  { name: 'kafka', fastify: '5.x' },
);
