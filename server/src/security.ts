import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Admission } from './classroom/access.js';
import { AppError } from './errors.js';
import { isApiUrl } from './workspaces/names.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const TOKEN_COOKIE = 'lab_token';

/**
 * On every answer. The page loads only its own scripts, styles, fonts and images and talks only to its own
 * origin (the live WebSocket included); no other site may frame it (clickjacking); answers are never
 * content-sniffed; no address (which may carry a token on first load) is sent on as a referrer.
 */
export const SECURITY_HEADERS = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
} as const;

export interface AccessPolicy {
  /** Host names the lab answers to. Undefined: any (only when a token guards the lab). */
  hostnames?: Set<string>;
  /** Required on every request when the lab is exposed beyond loopback. */
  token?: string;
  /**
   * In a classroom the token is the instructor's; who else may do what (attendees, people joining) is asked
   * of this, for every request without the token.
   */
  classroom?: (request: { method: string; url: string; cookie: string | undefined }) => Admission;
}

/**
 * Host, Origin, content type and token checks, before any route runs.
 * - Host stops DNS rebinding (a hostile page whose domain resolves to 127.0.0.1). Host names only are
 *   compared: the lab's port may differ between runs.
 * - Origin stops other sites from changing state or opening the live feed (cross-site WebSocket hijacking):
 *   a request that changes state, or upgrades, must come from the page's own origin: scheme, host and port
 *   (another port on 127.0.0.1 is another site: a dev server, a notebook).
 * - A request that changes state must be JSON: a page elsewhere can send that only after a CORS preflight,
 *   which the lab never grants, so even a browser that sent no Origin could not forge one.
 * - The token guards a lab bound to another interface; `?token=` once sets an HttpOnly cookie.
 */
export function registerAccessChecks(app: FastifyInstance, policy: AccessPolicy): void {
  app.decorateRequest('attendee', undefined);
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
    const host = hostnameOf(request.headers.host);
    if (!host || (policy.hostnames && !policy.hostnames.has(host))) {
      throw new AppError(403, `Host "${request.headers.host ?? ''}" is not allowed`, 'headers.host');
    }
    const origin = request.headers.origin;
    const needsOrigin = !SAFE_METHODS.has(request.method) || isUpgrade(request);
    if (needsOrigin && origin !== undefined && !sameOrigin(origin, request.headers.host ?? '')) {
      throw new AppError(403, `Origin "${origin}" is not allowed`, 'headers.origin');
    }
    if (!SAFE_METHODS.has(request.method) && !isJson(request.headers['content-type'])) {
      throw new AppError(
        415,
        `Commands must be sent as JSON (content-type: application/json), not "${request.headers['content-type'] ?? ''}"`,
        'headers.content-type',
      );
    }
    if (policy.token) {
      const query = (request.query as Record<string, unknown> | undefined)?.token;
      if (typeof query === 'string' && same(query, policy.token)) {
        reply.header(
          'set-cookie',
          `${TOKEN_COOKIE}=${encodeURIComponent(policy.token)}; HttpOnly; SameSite=Strict; Path=/`,
        );
        // A page load: the same address again without the token, so it leaves the address bar (and with it
        // share links, history, screenshots and referrers); the cookie carries it from now on.
        if (request.method === 'GET' && !isApiUrl(request.url) && !isUpgrade(request)) {
          return reply.code(303).header('location', withoutToken(request.url)).send();
        }
        return;
      }
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      const cookie = cookieValue(request.headers.cookie, TOKEN_COOKIE);
      if (same(bearer ?? cookie ?? '', policy.token)) return;
      if (policy.classroom) {
        const admission = policy.classroom({
          method: request.method,
          url: request.url,
          cookie: request.headers.cookie,
        });
        if ('redirect' in admission) return reply.code(303).header('location', admission.redirect).send();
        if ('status' in admission) throw new AppError(admission.status, admission.error, admission.path);
        request.attendee = admission.attendee;
        return;
      }
      throw new AppError(
        401,
        'This lab needs its access token: open the URL printed at start (it ends in ?token=…)',
        'token',
      );
    }
  });
}

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** "/labs?token=…&view=x" -> "/labs?view=x". */
function withoutToken(url: string): string {
  const parsed = new URL(url, 'http://lab');
  parsed.searchParams.delete('token');
  return `${parsed.pathname}${parsed.search}`;
}

/** A request URL as logs may show it: any token replaced. */
export function redactToken(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[hidden]');
}

/** The lab serves plain HTTP: its own origin is http:// and the Host the request was sent to. */
function sameOrigin(origin: string, host: string): boolean {
  try {
    return new URL(origin).origin === new URL(`http://${host}`).origin;
  } catch {
    return false;
  }
}

function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** Deeper than any document the lab reads (a topology with a topic schema at its deepest is ~26 levels). */
export const MAX_BODY_DEPTH = 64;

/**
 * JSON bodies, parsed by JSON.parse: "__proto__" and "constructor" are valid ids (Kafka names) and stay plain
 * own keys (every record keyed by an id is prototype-free, model/src/records.ts). An empty body is no body,
 * so a command without one (run, stop) can be sent as JSON; a broken one is named as such. A body nested
 * deeper than MAX_BODY_DEPTH is refused by a scan that stops at the first level too deep, before JSON.parse
 * would spend the event loop's time building it (a 0.45 MB body 45 000 levels deep cost ~18 ms).
 */
export function registerJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    if (nestedDeeperThan(text, MAX_BODY_DEPTH)) {
      return done(
        new AppError(400, `The body is nested deeper than ${MAX_BODY_DEPTH} levels, the lab's limit`),
        undefined,
      );
    }
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(
        new AppError(400, `The body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`),
        undefined,
      );
    }
  });
}

/** Whether JSON text opens more than `limit` objects or arrays at once (strings skipped). */
export function nestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > limit) return true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return false;
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
