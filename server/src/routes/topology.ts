import type { FastifyPluginAsync } from 'fastify';
import type { Lab } from '../lab.js';
import { validateDocument } from '../schemas/validate.js';

/**
 * `GET /api/topology`, `PUT /api/topology`. A document is checked in full (shape and rules) before anything
 * is saved; while running, edits Kafka cannot make are refused too. Then it is saved atomically and applied.
 */
export const topologyRoutes: FastifyPluginAsync<{ lab: Lab }> = async (app, { lab }) => {
  app.get('/api/topology', async () => lab.runtime.current);

  app.put('/api/topology', async (request, reply) => {
    const result = validateDocument(request.body, lab.topicPrefix);
    if (!result.ok) {
      const [first] = result.problems;
      return reply
        .code(400)
        .send({ error: first?.error ?? 'invalid topology', path: first?.path ?? '', problems: result.problems });
    }
    await lab.runtime.replace(result.topology, (topology) => lab.store.save(topology));
    return { topology: result.topology };
  });
};
