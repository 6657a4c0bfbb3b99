import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health, type KafkaState } from '@lab/model';
import { LAB_VERSION } from '../version.js';

/** `GET /api/health`: answers 200 while the server is up; `ok` says whether Kafka answers too. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ kafka: () => KafkaState }> = async (app, { kafka }) => {
  app.get('/api/health', { schema: { response: { 200: Health } } }, async () => {
    const state = kafka();
    return { ok: state.status === 'up', version: LAB_VERSION, kafka: state };
  });
};
