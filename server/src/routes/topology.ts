import type { FastifyPluginAsync } from 'fastify';
import { replaceTopology } from '../runtime/edits.js';
import { validateDocument } from '../schemas/validate.js';

/**
 * `GET /api/topology`, `PUT /api/topology`. A document is checked in full (shape and rules) before anything
 * is saved; while running, edits Kafka cannot make are refused too. Then it is saved atomically and applied.
 */
export const topologyRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/topology', async (request) => request.workspace.lab.runtime.current);

  app.put('/api/topology', async (request, reply) => {
    const { lab } = request.workspace;
    const result = validateDocument(request.body, lab.topicPrefix);
    if (!result.ok) {
      const [first] = result.problems;
      return reply
        .code(400)
        .send({ error: first?.error ?? 'invalid topology', path: first?.path ?? '', problems: result.problems });
    }
    await replaceTopology(lab, result.topology);
    return { topology: result.topology };
  });
};
