import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateTopology } from '@lab/model';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { FakeKafka } from '../test/fake-kafka.js';
import { buildApp } from './app.js';
import { createLab, type Lab } from './lab.js';
import { loadLabs } from './labs/loader.js';

// Property-based fuzzing of every input a user controls. The properties: never a 500 or a throw, every
// refusal carries a message and a path, and what was saved before is still there, intact.

const kafka = new FakeKafka([]);
let app: FastifyInstance;
let lab: Lab;
const valid = {
  version: 1,
  name: 'fuzz',
  nodes: [
    { id: 'shop', kind: 'source', ratePerSec: 5 },
    { id: 'orders', kind: 'topic', partitions: 3 },
    { id: 'billing', kind: 'service' },
  ],
  links: [
    { id: 'l1', kind: 'produce', from: 'shop', to: 'orders' },
    { id: 'l2', kind: 'consume', from: 'orders', to: 'billing' },
  ],
};

beforeAll(async () => {
  lab = createLab({
    brokers: ['127.0.0.1:1'],
    topicPrefix: 'fuzz.',
    dataDir: mkdtempSync(join(tmpdir(), 'fuzz-')),
    kafka,
    labsDir: '/nonexistent',
  });
  app = await buildApp({ lab, webRoot: '/nonexistent' });
  expect((await app.inject({ method: 'PUT', url: '/api/topology', payload: valid })).statusCode).toBe(200);
});
afterAll(async () => {
  await app.close();
  await lab.close();
});

/** Documents near the valid one: a field replaced, added or removed somewhere, so the rules get exercised. */
const nearValid = fc
  .tuple(
    fc.constantFrom('nodes', 'links'),
    fc.nat(4),
    fc.string({ maxLength: 12 }),
    fc.jsonValue({ maxDepth: 2 }),
    fc.boolean(),
  )
  .map(([list, index, key, value, remove]) => {
    const doc = structuredClone(valid) as Record<string, unknown[]>;
    const items = doc[list]!;
    const item = (items[index % items.length] ?? {}) as Record<string, unknown>;
    const field = remove ? (Object.keys(item)[index % Object.keys(item).length] ?? key) : key;
    if (remove) delete item[field];
    else item[field === '' ? 'id' : field] = value;
    return doc;
  });

describe('fuzzing PUT /api/topology', () => {
  it('answers 200 or 400 with a message and a path, never a 500, and never half-saves', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 4 }), nearValid), async (body) => {
        const before = readFileSync(lab.store.path, 'utf8');
        const res = await app.inject({
          method: 'PUT',
          url: '/api/topology',
          payload: JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        });
        expect([200, 400]).toContain(res.statusCode);
        const saved = readFileSync(lab.store.path, 'utf8');
        expect(validateTopology(JSON.parse(saved), 'fuzz.').ok).toBe(true);
        if (res.statusCode === 400) {
          expect(res.json()).toMatchObject({ error: expect.any(String), path: expect.any(String) });
          expect(res.json().error.length).toBeGreaterThan(5);
          expect(saved).toBe(before);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('fuzzing POST /api/nodes/:id/actions and /rate', () => {
  it('answers with a client error and a message for any body, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('shop', 'orders', 'billing', 'ghost', '..', '%2e', 'a'.repeat(80)),
        fc.oneof(
          fc.jsonValue({ maxDepth: 2 }),
          fc.record(
            {
              action: fc.constantFrom('crash', 'stop', 'revive', 'hang', 'slow', 'errors', 'scale', 'boom'),
              value: fc.option(fc.double()),
              instance: fc.option(fc.string()),
            },
            { requiredKeys: ['action'] },
          ),
        ),
        fc.constantFrom('actions', 'rate'),
        async (id, body, what) => {
          const res = await app.inject({
            method: 'POST',
            url: `/api/nodes/${id}/${what}`,
            payload: JSON.stringify(body),
            headers: { 'content-type': 'application/json' },
          });
          expect(res.statusCode).toBeGreaterThanOrEqual(400);
          expect(res.statusCode).toBeLessThan(500);
          expect(res.json().error).toEqual(expect.any(String));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('fuzzing lab files', () => {
  it('a lab.yaml of any shape is refused with its file named, never a throw', () => {
    const root = mkdtempSync(join(tmpdir(), 'fuzz-labs-'));
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (content) => {
        const dir = join(root, 'lab');
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'lab.yaml'), stringify(content));
        const { labs, problems } = loadLabs(root);
        expect(labs).toEqual([]);
        expect(problems[0]).toMatchObject({ file: 'lab/lab.yaml', error: expect.any(String) });
      }),
      { numRuns: 200 },
    );
  });
});
