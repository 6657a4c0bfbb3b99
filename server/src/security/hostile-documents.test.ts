import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../lab.js';
import { offlineApp } from '../offline-app.js';

// Documents built to exhaust the server: a small request that becomes a huge file, a schema nested deeper
// than any stack, patterns that backtrack forever, refs that loop or leave the document. Each is refused
// with a named problem, nothing is saved, and the server keeps answering.

let app: FastifyInstance;
let lab: Lab;
const withSchema = (schema: unknown) => ({
  version: 1,
  name: 'hostile',
  nodes: [{ id: 'orders', kind: 'topic', schema }],
  links: [],
});

let close: () => Promise<void>;
beforeAll(async () => {
  ({ app, lab, close } = await offlineApp('h.'));
  const first = await app.inject({ method: 'PUT', url: '/api/topology', payload: withSchema({ type: 'object' }) });
  expect(first.statusCode).toBe(200);
});
afterAll(() => close());

async function put(body: string) {
  const before = readFileSync(lab.store.path, 'utf8');
  const res = await app.inject({
    method: 'PUT',
    url: '/api/topology',
    payload: body,
    headers: { 'content-type': 'application/json' },
  });
  expect(readFileSync(lab.store.path, 'utf8')).toBe(before);
  expect((await app.inject('/api/health')).statusCode).toBe(200);
  return { status: res.statusCode, body: res.json() as { error: string; path: string } };
}

describe('PUT /api/topology with hostile topic schemas', () => {
  it('a schema nested 45 000 levels deep (a 0.45 MB body) is refused by name, not a 500', async () => {
    const depth = 45_000;
    const body = `{"version":1,"name":"deep","nodes":[{"id":"orders","kind":"topic","schema":${'{"items":'.repeat(depth)}{}${'}'.repeat(depth)}}],"links":[]}`;
    expect(body.length).toBeGreaterThan(450_000);
    const res = await put(body);
    expect(res).toEqual({
      status: 400,
      body: expect.objectContaining({
        path: 'nodes.0.schema',
        error: "nodes.0.schema is nested deeper than 10 levels (the lab's limit for a topic schema)",
      }),
    });
  });

  it('a wide schema that would pretty-print to hundreds of MB is refused by its size', async () => {
    const wide = {
      type: 'object',
      properties: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`f${i}`, {}])),
    };
    const res = await put(JSON.stringify(withSchema(wide)));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('nodes.0.schema is more than 16 KB of JSON; a topic schema may be at most 16 KB');
  });

  it.each([
    [
      { type: 'string', pattern: '(a)\\1' },
      'nodes.0.schema.pattern',
      "cannot run on the lab's linear-time regex engine",
    ],
    [{ $ref: '#' }, 'nodes.0.schema', '$ref loop'],
    [{ $ref: 'http://127.0.0.1:1/s.json' }, 'nodes.0.schema.$ref', 'must be a local reference'],
    [{ $id: 'http://127.0.0.1:1/s.json' }, 'nodes.0.schema.$id', 'never fetched'],
    [{ type: 'object', if: {} }, 'nodes.0.schema.if', 'is not a supported keyword'],
  ])('%j is refused at %s', async (schema, path, message) => {
    const res = await put(JSON.stringify(withSchema(schema)));
    expect(res.status).toBe(400);
    expect(res.body.path).toBe(path);
    expect(res.body.error).toContain(message);
  });

  it('a schema with a catastrophic-backtracking pattern is accepted: it runs on RE2', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/api/topology',
      payload: withSchema({ type: 'object', properties: { name: { type: 'string', pattern: '^(a+)+$' } } }),
    });
    expect(res.statusCode).toBe(200);
    expect(readFileSync(lab.store.path, 'utf8')).not.toContain('\n  ');
  });
});
