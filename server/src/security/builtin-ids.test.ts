import type { Topology, TopologyDocument } from '@lab/model';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinIds } from '../../../test/builtin-ids.js';
import type { LabAdmin } from '../kafka/admin.js';
import type { TopicObserver } from '../kafka/observer.js';
import type { Lab } from '../lab.js';
import { offlineApp } from '../offline-app.js';
import { Runtime } from '../runtime/runtime.js';
import { specFor } from '../runtime/specs.js';
import { Caller } from '../runtime/worker/caller.js';
import { makePayload } from '../runtime/worker/generate.js';
import { keyOf } from '../runtime/worker/outputs.js';
import { StatsCollector } from '../runtime/worker/stats.js';
import { Aggregator } from '../telemetry/aggregator.js';
import { LagReader } from '../telemetry/lag.js';
import { EventLog } from '../telemetry/log.js';

// Ids that are names of JavaScript's built-in properties ("constructor", "__proto__", "toString"…) are valid
// Kafka names. Every record keyed by an id must treat them as plain keys: no crash, no wrong number, no
// prototype pollution. The properties below generate topologies and telemetry from all of those names.

const NAMES = builtinIds();

/** A valid topology whose every id (nodes and links) is a built-in name: topics, services consuming them, sources producing. */
const builtinTopology = fc.shuffledSubarray(NAMES, { minLength: 6, maxLength: 60 }).map((ids): TopologyDocument => {
  const third = Math.floor(ids.length / 3);
  const topics = ids.slice(0, third);
  const services = ids.slice(third, 2 * third);
  const sources = ids.slice(2 * third);
  const links: TopologyDocument['links'] = [];
  // Link ids reuse the node names: link ids and node ids live in different records.
  for (const [i, service] of services.entries())
    links.push({ id: service, kind: 'consume', from: topics[i % topics.length]!, to: service });
  for (const [i, source] of sources.entries())
    links.push({ id: source, kind: 'produce', from: source, to: topics[i % topics.length]! });
  return {
    version: 1,
    name: 'built-in names',
    nodes: [
      ...topics.map((id) => ({ id, kind: 'topic' as const, partitions: 1, schema: { type: 'object' } })),
      ...services.map((id) => ({ id, kind: 'service' as const })),
      ...sources.map((id) => ({
        id,
        kind: 'source' as const,
        // Parsed, not a literal: a literal's `__proto__:` would set the prototype instead of adding a field.
        payload: JSON.parse('{"__proto__":{"kind":"sequence"},"constructor":{"kind":"id"}}'),
      })),
    ],
    links,
  };
});

function expectNoPollution() {
  const probe: Record<string, unknown> = {};
  for (const key of ['ok', 'failed', 'groups', 'lag', 'status', 'leaders', 'p99Ms', 'push', 'length'])
    expect(probe[key], `Object.prototype.${key} was polluted`).toBeUndefined();
}

describe('ids named like built-in properties, through the HTTP API', () => {
  let app: FastifyInstance;
  let lab: Lab;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ app, lab, close } = await offlineApp('ids.'));
  });
  afterAll(() => close());

  it('are saved, answered 200 and shown as their own entries in the live snapshot', async () => {
    await fc.assert(
      fc.asyncProperty(builtinTopology, async (doc) => {
        const res = await app.inject({ method: 'PUT', url: '/api/topology', payload: doc });
        expect(res.statusCode, res.body).toBe(200);
        const saved = (await app.inject('/api/topology')).json() as Topology;
        expect(saved.nodes.map((n) => n.id)).toEqual(doc.nodes.map((n) => n.id));
        const state = (await app.inject('/api/state')).json();
        for (const node of doc.nodes) expect(Object.hasOwn(state.nodes, node.id), node.id).toBe(true);
        for (const link of doc.links) expect(Object.hasOwn(state.links, link.id), link.id).toBe(true);
        for (const node of doc.nodes) expect(state.nodes[node.id].status).toBe('idle');
        const source = saved.nodes.find((n) => n.kind === 'source');
        if (source?.kind === 'source') expect(Object.keys(source.payload).sort()).toEqual(['__proto__', 'constructor']);
        expect((await app.inject('/api/health')).statusCode).toBe(200);
        expect(lab.runtime.publishFailures, 'live frames that failed').toBe(0);
        expectNoPollution();
      }),
      { numRuns: 40 },
    );
  });
});

describe('ids named like built-in properties, in the telemetry', () => {
  it('the worker stats count every link, topic and flow as its own entry', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 50 }), (ids) => {
        const processed: Record<string, string[]>[] = [];
        const stats = new StatsCollector((p) => processed.push(p));
        for (const id of ids) {
          stats.link(id, 'ok', 1, 't');
          stats.circuit(id, 'closed');
          stats.produce(id, 'e');
          stats.flow(id, 5);
        }
        const tick = stats.take();
        for (const id of new Set(ids)) {
          const count = ids.filter((x) => x === id).length;
          expect(Object.getOwnPropertyDescriptor(tick.links, id)?.value.ok).toBe(count);
          expect(Object.getOwnPropertyDescriptor(tick.produced, id)?.value).toHaveLength(count);
          expect(Object.getOwnPropertyDescriptor(tick.flows, id)?.value).toHaveLength(count);
        }
        expectNoPollution();
      }),
      { numRuns: 200 },
    );
  });

  it('the aggregator and the lag reader keep one entry per id, read back by the runtime', async () => {
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(NAMES, { minLength: 2, maxLength: 30 }), async (ids) => {
        const aggregator = new Aggregator();
        for (const id of ids) {
          aggregator.record(id, `${id}-1`, {
            type: 'stats',
            handled: 1,
            failed: 0,
            emitted: 1,
            inFlight: 0,
            latencies: [1],
            links: { [id]: { ok: 1, failed: 0, timeouts: 0, latencies: [1], samples: [] } },
            produced: {},
            flows: Object.fromEntries([[id, [3]]]),
            behavior: { filtered: 0, alerts: 0, polls: 0, emptyPolls: 0, ages: [] },
          });
        }
        const flows = aggregator.flows();
        for (const id of ids) expect(Object.getOwnPropertyDescriptor(flows, id)?.value.completed).toBe(1);

        const admin = {
          topicOffsets: async () => ({ start: [0], end: [10] }),
          committedOffsets: async () => [4],
          leaders: async () => [1],
          groupStates: async () => new Map(),
        } as unknown as LabAdmin;
        const lag = new LagReader(admin);
        const targets = ids.map((id) => ({
          topicId: id,
          topic: `p.${id}`,
          groups: ids.map((service) => ({
            serviceId: service,
            groupId: `p.${service}`,
            startFrom: 'earliest' as const,
          })),
        }));
        await lag.read(targets, () => ['x']);
        await lag.read(targets, () => ['x']);
        for (const id of ids) {
          const topic = Object.getOwnPropertyDescriptor(lag.current, id)?.value;
          for (const service of ids) expect(Object.getOwnPropertyDescriptor(topic.groups, service)?.value.lag).toBe(6);
        }
        expectNoPollution();
      }),
      { numRuns: 50 },
    );
  });

  it('a caller with no endpoint for a built-in name fails the call instead of calling a function', async () => {
    for (const to of NAMES) {
      const caller = new Caller(new StatsCollector(), () => {});
      caller.setEndpoints(JSON.parse('{"other":["http://127.0.0.1:1"]}'));
      const called = await caller.call(
        { id: to, kind: 'call', from: 'a', to, timeoutMs: 100, retries: 0, circuitBreaker: true, fallback: false },
        { id: 'e', type: 't', payload: {}, key: null, traceId: 't', originTime: 0, origin: 'a', hops: 0 },
      );
      expect(called, to).toEqual({ ok: false, reason: `no instance of "${to}" is running` });
      caller.close();
    }
  });

  it("a worker spec's schemas hold only the topics produced to, whatever their names", () => {
    const doc: Topology = {
      version: 1,
      name: 'x',
      nodes: [
        { id: 'constructor', kind: 'topic', partitions: 1, label: 'c', position: { x: 0, y: 0 } },
        {
          id: 'toString',
          kind: 'source',
          label: 's',
          position: { x: 0, y: 0 },
          ratePerSec: 1,
          pattern: 'constant',
          eventType: 'e',
          payload: {},
        },
      ],
      links: [{ id: 'valueOf', kind: 'produce', from: 'toString', to: 'constructor' }],
    };
    const spec = specFor({ prefix: 'p.', brokers: [], secret: 's' }, doc, doc.nodes[1] as never, 'toString-1');
    expect(Object.keys(spec.schemas)).toEqual([]);
    expect(Object.hasOwn(spec.schemas, 'constructor')).toBe(false);
    const payload = makePayload(JSON.parse('{"__proto__":{"kind":"sequence"}}'), 7);
    // A produce link keyed by a field the event does not have keeps the event's key, whatever the name.
    const event = {
      id: 'e',
      type: 't',
      payload: JSON.parse('{"a":1}'),
      key: 'k',
      traceId: 't',
      originTime: 0,
      origin: 'a',
      hops: 0,
    };
    for (const name of NAMES) expect(keyOf(event, name), name).toBe('k');
    expect(Object.getOwnPropertyDescriptor(payload, '__proto__')?.value).toBe(7);
  });
});

describe('the publish loop', () => {
  it('survives an exception in one frame: logged once, counted, and the next frames still go out', async () => {
    const log = new EventLog();
    let calls = 0;
    const runtime = new Runtime({
      prefix: 'p.',
      brokers: [],
      admin: {} as LabAdmin,
      observer: {} as TopicObserver,
      log,
      publish: () => {
        calls++;
        if (calls <= 3) throw new Error('frame exploded');
      },
    });
    const doc = { version: 1 as const, name: 'x', nodes: [], links: [] };
    await runtime.apply(doc);
    await runtime.apply(doc);
    await runtime.apply(doc);
    await runtime.apply(doc);
    expect(calls).toBe(4);
    expect(runtime.publishFailures).toBe(3);
    const entries = log.recent().filter((e) => e.message.includes('frame exploded'));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ level: 'error', kind: 'error' });
  });
});
