import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../lab.js';
import { offlineApp } from '../offline-app.js';

// Cross-site request forgery from any page on the machine: another port on 127.0.0.1 (a dev server, a
// notebook), another scheme, another name. A request that changes state must come from the lab's own
// origin (scheme, host and port) and be JSON (which a page can only send after a CORS preflight).

let app: FastifyInstance;
let lab: Lab;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ app, lab, close } = await offlineApp('req.'));
});
afterAll(() => close());

const doc = { version: 1, name: 'mine', nodes: [{ id: 'orders', kind: 'topic' }], links: [] };
const LAB = '127.0.0.1:3000';

async function putFrom(origin: string | undefined, contentType = 'application/json', host = LAB) {
  const before = JSON.stringify(lab.runtime.current);
  const res = await app.inject({
    method: 'PUT',
    url: '/api/topology',
    payload: JSON.stringify({ ...doc, name: 'replaced' }),
    headers: { host, 'content-type': contentType, ...(origin === undefined ? {} : { origin }) },
  });
  return { res, changed: JSON.stringify(lab.runtime.current) !== before };
}

describe('the Origin of a request that changes state', () => {
  it('must be the lab itself: same scheme, host and port', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('http', 'https', 'ws'),
        fc.constantFrom('127.0.0.1', 'localhost', '[::1]', 'evil.example'),
        fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
        async (scheme, hostname, port) => {
          const origin = `${scheme}://${hostname}${port === undefined ? '' : `:${port}`}`;
          const same = scheme === 'http' && hostname === '127.0.0.1' && port === 3000;
          const { res, changed } = await putFrom(origin);
          if (same) {
            expect(res.statusCode).toBe(200);
          } else {
            expect(res.statusCode).toBe(403);
            expect(res.json()).toEqual({ error: `Origin "${origin}" is not allowed`, path: 'headers.origin' });
            expect(changed).toBe(false);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('"null" (a sandboxed frame, a file) is refused; no Origin at all (curl, scripts) is fine', async () => {
    expect((await putFrom('null')).res.statusCode).toBe(403);
    expect((await putFrom(undefined)).res.statusCode).toBe(200);
  });
});

describe('the content type of a request that changes state', () => {
  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''])(
    '%j is refused with 415 and nothing changes',
    async (type) => {
      const { res, changed } = await putFrom(`http://${LAB}`, type);
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({
        path: 'headers.content-type',
        error: expect.stringContaining('application/json'),
      });
      expect(changed).toBe(false);
    },
  );

  it('a command without a body may be sent as JSON with no body at all', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/stop', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(200);
    const plain = await app.inject({ method: 'POST', url: '/api/stop' });
    expect(plain.statusCode).toBe(415);
  });

  it('a body that is not JSON is named as such', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/api/topology',
      payload: '{"version":',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/^The body is not valid JSON: /);
  });
});

describe('security headers', () => {
  it('every answer carries a CSP with frame-ancestors none, nosniff, no referrer', async () => {
    for (const res of [
      await app.inject('/api/health'),
      await app.inject('/'),
      await app.inject('/api/nope'),
      await app.inject({ url: '/api/health', headers: { host: 'evil.example' } }),
      await app.inject({ method: 'POST', url: '/api/run', headers: { 'content-type': 'text/plain' } }),
    ]) {
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });
});

describe('the built web app', () => {
  it('serves no source maps unless asked (LAB_SOURCE_MAPS=1)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    writeFileSync(join(root, 'assets', 'index.js'), 'console.log(1)');
    writeFileSync(join(root, 'assets', 'index.js.map'), '{"sources":["secret.ts"]}');
    for (const sourceMaps of [false, true]) {
      const web = await offlineApp('web.', { webRoot: root, sourceMaps });
      expect((await web.app.inject('/assets/index.js')).statusCode).toBe(200);
      const map = await web.app.inject('/assets/index.js.map');
      expect(map.body.includes('secret.ts')).toBe(sourceMaps);
      await web.close();
    }
  });
});
