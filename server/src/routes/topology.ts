import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TopologyDocument, TopologySaved } from '@lab/model';
import { AppError } from '../errors.js';
import { replaceTopology } from '../runtime/edits.js';
import { validateDocument } from '../schemas/validate.js';

/**
 * `GET /api/topology`, `PUT /api/topology`. A document is checked in full (shape and rules) before anything
 * is saved; while running, edits Kafka cannot make are refused too. Then it is saved atomically and applied.
 * The body has no schema here on purpose: validateDocument names every problem with its path (Fastify's
 * validator would stop at the first, in its own words).
 */
export const topologyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/topology', { schema: { response: { 200: TopologyDocument } } }, async (request) => {
    return request.workspace.lab.runtime.current;
  });

  app.put('/api/topology', { schema: { response: { 200: TopologySaved } } }, async (request) => {
    const { lab } = request.workspace;
    const result = validateDocument(request.body, lab.topicPrefix);
    if (!result.ok) {
      const [first] = result.problems;
      throw new AppError(400, first?.error ?? 'invalid topology', first?.path ?? '', result.problems);
    }
    await replaceTopology(lab, result.topology);
    return { topology: result.topology };
  });
};
