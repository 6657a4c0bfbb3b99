import type { FastifyInstance, FastifyRequest } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Host and Origin checks. The Host check stops DNS rebinding (a hostile page whose domain resolves to
 * 127.0.0.1); the Origin check stops other sites from changing state or opening the live feed (cross-site
 * WebSocket hijacking). Both compare host names only: the lab's port may differ between runs.
 */
export function registerHostAndOriginChecks(app: FastifyInstance, allowedHostnames: Set<string>): void {
  app.addHook('onRequest', async (request, reply) => {
    const host = hostnameOf(request.headers.host);
    if (!host || !allowedHostnames.has(host)) {
      return reply
        .code(403)
        .send({ error: `Host "${request.headers.host ?? ''}" is not allowed`, path: 'headers.host' });
    }
    const needsOrigin = !SAFE_METHODS.has(request.method) || isUpgrade(request);
    const origin = request.headers.origin;
    if (needsOrigin && origin !== undefined && !allowedHostnames.has(hostnameOf(origin) ?? '')) {
      return reply.code(403).send({ error: `Origin "${origin}" is not allowed`, path: 'headers.origin' });
    }
  });
}

function isUpgrade(request: FastifyRequest) {
  return request.headers.upgrade?.toLowerCase() === 'websocket';
}

/** "127.0.0.1:3000" -> "127.0.0.1", "http://localhost:5173" -> "localhost", "[::1]:80" -> "[::1]". */
export function hostnameOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(value.includes('://') ? value : `http://${value}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
