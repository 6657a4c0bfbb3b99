import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const TOKEN_COOKIE = 'lab_token';

export interface AccessPolicy {
  /** Host names the lab answers to. Undefined: any (only when a token guards the lab). */
  hostnames?: Set<string>;
  /** Required on every request when the lab is exposed beyond loopback. */
  token?: string;
}

/**
 * Host, Origin and token checks, before any route runs.
 * - Host stops DNS rebinding (a hostile page whose domain resolves to 127.0.0.1).
 * - Origin stops other sites from changing state or opening the live feed (cross-site WebSocket hijacking):
 *   a request that changes state, or upgrades, must come from the page's own host.
 * - The token guards a lab bound to another interface; `?token=` once sets an HttpOnly cookie.
 * Host names only are compared: the lab's port may differ between runs.
 */
export function registerAccessChecks(app: FastifyInstance, policy: AccessPolicy): void {
  app.addHook('onRequest', async (request, reply) => {
    const host = hostnameOf(request.headers.host);
    if (!host || (policy.hostnames && !policy.hostnames.has(host))) {
      return reply
        .code(403)
        .send({ error: `Host "${request.headers.host ?? ''}" is not allowed`, path: 'headers.host' });
    }
    const origin = request.headers.origin;
    const needsOrigin = !SAFE_METHODS.has(request.method) || isUpgrade(request);
    if (needsOrigin && origin !== undefined && hostnameOf(origin) !== host) {
      return reply.code(403).send({ error: `Origin "${origin}" is not allowed`, path: 'headers.origin' });
    }
    if (policy.token) {
      const query = (request.query as Record<string, unknown> | undefined)?.token;
      if (typeof query === 'string' && same(query, policy.token)) {
        reply.header('set-cookie', `${TOKEN_COOKIE}=${policy.token}; HttpOnly; SameSite=Strict; Path=/`);
        return;
      }
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      const cookie = cookieValue(request.headers.cookie, TOKEN_COOKIE);
      if (!same(bearer ?? cookie ?? '', policy.token)) {
        return reply.code(401).send({
          error: 'This lab needs its access token: open the URL printed at start (it ends in ?token=…)',
          path: 'token',
        });
      }
    }
  });
}

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
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
