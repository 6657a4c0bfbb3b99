import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../errors.js';
import { isApiUrl } from '../workspaces/names.js';

/**
 * Serves the built browser app, and index.html for any other GET that is not an API call (client routes).
 * Without a build (e.g. `npm run dev -w server` alone) it says how to get one instead of a bare 404.
 */
export const webRoutes: FastifyPluginAsyncTypebox<{ root: string; sourceMaps?: boolean }> = async (
  app,
  { root, sourceMaps = false },
) => {
  const built = existsSync(join(root, 'index.html'));
  // Source maps (built only with LAB_SOURCE_MAPS=1) are served only when asked for, the same way.
  if (built) {
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      allowedPath: (path) => sourceMaps || !path.endsWith('.map'),
    });
  }
  app.setNotFoundHandler((request, reply) => {
    if (request.method !== 'GET' || isApiUrl(request.url)) {
      throw new AppError(404, `No route ${request.method} ${request.url.split('?')[0]}`, 'url');
    }
    if (!built) {
      return reply
        .code(503)
        .type('text/plain')
        .send('The web app is not built yet: run `npm start` (it builds it) or `npm run dev` for hot reload.\n');
    }
    return reply.sendFile('index.html');
  });
};
