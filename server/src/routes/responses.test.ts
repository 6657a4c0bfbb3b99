import {
  AttendeeRow,
  ClassLabSummary,
  LabDefinition,
  LabProgress,
  LabSummary,
  type Measure,
  RoomProgress,
  type Snapshot,
  Snapshot as SnapshotSchema,
  TopologyDocument,
} from '@lab/model';
import type { TSchema } from 'typebox';
import Value from 'typebox/value';
import { afterEach, describe, expect, it } from 'vitest';
import { attendeeRow, classSummary, roomProgress } from '../classroom/report.js';
import type { Attendee } from '../classroom/room.js';
import { LABS_DIR } from '../lab.js';
import { loadLabs } from '../labs/loader.js';
import { offlineApp } from '../offline-app.js';

/**
 * The response schemas (model/src/api.ts and the live feed's) type the handlers and the web; answers are still
 * written by JSON.stringify (app.ts), so the wire format is what it was. These tests hold both: every answer is
 * the object the server produced, as JSON.stringify sends it, and every schema names every property the server
 * produces (a schema that misses one would type the web wrong, and would drop it under fast-json-stringify).
 */

let server: Awaited<ReturnType<typeof offlineApp>> | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The app over a lab with the guided labs, whose Kafka is never reached. */
async function build() {
  server = await offlineApp('test.', {}, { labsDir: LABS_DIR });
  return server;
}

/** The value as JSON.stringify sends it (undefined properties gone, prototype-free records plain). */
const asSent = (value: unknown) => JSON.parse(JSON.stringify(value));

/** The schema describes the value, and names every property in it (cleaning by the schema removes nothing). */
function expectDescribed(schema: TSchema, value: unknown) {
  const sent = asSent(value);
  expect(Value.Clean(schema, structuredClone(sent))).toEqual(sent);
  expect([...Value.Errors(schema, sent)].map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
}

/**
 * The fullest value a schema allows: every optional property present, two entries in every record and
 * array, the first choice of every union: the most an answer can carry, to check none of it is lost on the way.
 */
type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  patternProperties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  allOf?: Schema[];
  const?: unknown;
  enum?: unknown[];
};
function fullest(schema: Schema, seed = 1): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return fullest(schema.anyOf.find((s) => s.type !== 'null') ?? schema.anyOf[0]!, seed);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => fullest(s, seed)));
  switch (schema.type) {
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) value[key] = fullest(property, seed + 1);
      for (const property of Object.values(schema.patternProperties ?? {}))
        for (const key of ['a.first', 'b-second']) value[key] = fullest(property, seed + 2);
      return value;
    }
    case 'array':
      return [fullest(schema.items ?? {}, seed + 1), fullest(schema.items ?? {}, seed + 2)];
    case 'string':
      return `text-${seed}`;
    case 'number':
    case 'integer':
      return seed + 0.5;
    case 'boolean':
      return true;
    default:
      return { anything: ['goes', seed, { nested: null }] };
  }
}

describe('response schemas keep the wire format', () => {
  it('GET /api/state answers the fullest snapshot exactly as the live state holds it, even beyond its schema', async () => {
    const { app, lab } = await build();
    const full = fullest(SnapshotSchema) as Snapshot;
    // A property no schema names yet still reaches the browser: the answer is JSON.stringify's.
    Object.assign(full.nodes['a.first']!, { notInTheSchema: [1, 'two'] });
    // Every number in the schema is a plain number: a fractional one must not be rounded on the way.
    expect(full.nodes['a.first']?.p99Ms).toBe(5.5);
    const { kafka, lab: progress, topologyRevision, ...parts } = full;
    lab.live.setRuntime(parts);
    lab.live.setLab(progress);
    lab.live.setKafka(kafka);
    for (let i = 0; i < (topologyRevision ?? 0); i++) lab.live.topologyReplaced();

    const res = await app.inject('/api/state');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(asSent(lab.live.snapshot()));
    expect(res.json()).toEqual(asSent({ ...full, topologyRevision: lab.live.snapshot().topologyRevision }));
  });

  it('GET /api/state answers what the runtime itself published for every lab topology', async () => {
    const { app, lab } = await build();
    for (const { topologies } of loadLabs(LABS_DIR, 'test.').labs) {
      for (const topology of topologies.values()) {
        const put = await app.inject({ method: 'PUT', url: '/api/topology', payload: topology });
        expect(put.statusCode, put.body).toBe(200);
        expect(put.json()).toEqual({ topology: asSent(lab.runtime.current) });
        expect((await app.inject('/api/topology')).json()).toEqual(asSent(lab.runtime.current));
        expectDescribed(TopologyDocument, lab.runtime.current);
        const snapshot = lab.live.snapshot();
        expect(Object.keys(snapshot.nodes)).toHaveLength(topology.nodes.length);
        expect((await app.inject('/api/state')).json()).toEqual(asSent(snapshot));
        expectDescribed(SnapshotSchema, snapshot);
      }
    }
  });

  it('GET /api/labs/progress carries every field of the fullest lab progress', async () => {
    const { app, lab } = await build();
    const full = fullest(LabProgress) as LabProgress;
    lab.labs.progress = () => full;
    expect((await app.inject('/api/labs/progress')).json()).toEqual(asSent(full));
    expectDescribed(LabProgress, full);
  });

  it('GET /api/labs and /api/labs/:id answer every lab as the guide reads it', async () => {
    const { app, lab } = await build();
    expect((await app.inject('/api/labs')).json()).toEqual(asSent(lab.labs.list()));
    expect(lab.labs.list().length).toBeGreaterThan(10);
    for (const summary of lab.labs.list()) {
      expectDescribed(LabSummary, summary);
      const res = await app.inject(`/api/labs/${summary.id}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(asSent(lab.labs.definition(summary.id)));
      expectDescribed(LabDefinition, lab.labs.definition(summary.id));
    }
  });

  it('a refused topology still names every problem, with the first as error and path', async () => {
    const { app } = await build();
    const res = await app.inject({
      method: 'PUT',
      url: '/api/topology',
      payload: { version: 1, name: 'x', nodes: [{ id: 'a', kind: 'topic', partitions: 0 }], links: [] },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.problems.length).toBeGreaterThan(0);
    expect({ error: body.error, path: body.path }).toEqual(body.problems[0]);
  });

  it("the classroom's dashboard rows, room progress and summary are described completely by their schemas", () => {
    // On its first step (an index, not any number), so the row carries that step's title and times.
    const progress = { ...(fullest(LabProgress) as LabProgress), current: 0 };
    const snapshot = { ...(fullest(SnapshotSchema) as Snapshot), lab: progress };
    const attendee: Attendee = { id: 'ann-1', name: 'Ann', joinedAt: 1, helpSince: 2, notices: [] };
    expectDescribed(AttendeeRow, attendeeRow(attendee, snapshot, true));
    for (const room of roomProgress([progress, progress])) expectDescribed(RoomProgress, room);
    const measures: Measure[] = [
      { name: 'a.first', metric: 'nodes.x.p99Ms', stat: 'max', unit: 'ms' },
      { name: 'b-second', stat: 'duration', until: { metric: 'running', op: '==', value: true } },
    ];
    // Every step measures both, and explains itself with them (so the room's filled explanation is there too).
    const topology = loadLabs(LABS_DIR).labs[0]!.lab.startingTopology;
    const steps = progress.steps.map((step) => ({ id: step.id, measures, explain: 'Measured: {a.first}.' }));
    const summaries = classSummary([progress, progress], () => ({ steps, topology }));
    expect(summaries).toHaveLength(1);
    for (const summary of summaries) expectDescribed(ClassLabSummary, summary);
  });
});
