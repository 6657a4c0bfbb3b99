import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KafkaState, parseRecording, type RecordingInfo, type Snapshot } from '@lab/model';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeKafka } from '../../test/fake-kafka.js';
import { buildApp } from '../app.js';
import { createLab, type Lab } from '../lab.js';
import { LiveState } from '../live/state.js';
import { EventLog } from '../telemetry/log.js';
import { replayPage } from './export.js';
import { Recorder } from './recorder.js';
import { RecordingStore } from './store.js';

const kafka: KafkaState = { status: 'up', brokers: ['127.0.0.1:9092'], managed: true };
const topology = { version: 1 as const, name: 'shop', nodes: [], links: [] };
const node = (processed: number, status: 'running' | 'down' = 'running') => ({
  status,
  instances: [{ id: 'billing-1', status }],
  inRate: 10,
  outRate: 10,
  errorRate: 0,
  inFlight: 0,
  p50Ms: 1,
  p99Ms: 2,
  processed,
  failed: 0,
});
const runtime = (running: boolean, processed: number, status: 'running' | 'down' = 'running') => ({
  running,
  startedAt: 1,
  nodes: { billing: node(processed, status) },
  links: {},
  topics: {},
  flows: {},
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function recorderOn(dir: string, options: { maxBytes?: number; keep?: number } = {}) {
  const live = new LiveState(kafka);
  const log = new EventLog();
  const store = new RecordingStore(dir, options.keep ?? 20);
  let doc = topology;
  const recorder = new Recorder({
    store,
    live,
    log,
    topology: () => doc,
    serverVersion: 'test',
    sampleMs: 10,
    keyframeMs: 50,
    maxBytes: options.maxBytes,
  });
  return { live, log, store, recorder, setTopology: (name: string) => (doc = { ...topology, name }) };
}

async function readAll(store: RecordingStore, id: string) {
  const chunks: Buffer[] = [];
  for await (const chunk of store.open(id)!) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('the flight recorder', () => {
  it('records a run from Run to Stop: states, log, topology; a player gets back every recorded state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rec-'));
    const { live, log, store, recorder, setTopology } = recorderOn(dir);
    live.setRuntime(runtime(false, 0));
    await sleep(30);
    expect(recorder.list()).toEqual([]); // nothing runs: nothing recorded
    log.add({ level: 'info', kind: 'run', message: 'Run started' });
    const seen: Snapshot[] = [];
    for (let i = 1; i <= 12; i++) {
      live.setRuntime(runtime(true, i * 10, i === 6 ? 'down' : 'running'));
      seen.push(live.snapshot());
      if (i === 6) log.add({ level: 'warn', kind: 'fault', nodeId: 'billing', message: 'billing crashed' });
      if (i === 8) setTopology('shop, edited');
      await sleep(20);
    }
    const during = recorder.list();
    expect(during).toHaveLength(1);
    expect(during[0]).toMatchObject({ name: 'shop', live: true });
    live.setRuntime(runtime(false, 130));
    await sleep(30);
    await recorder.settled();
    const [info] = recorder.list() as [RecordingInfo];
    expect(info).toMatchObject({ live: false, name: 'shop' });
    expect(info.durationMs).toBeGreaterThan(150);
    expect(readdirSync(dir).sort()).toEqual([`${info.id}.json`, `${info.id}.ndjson.gz`]);

    const replay = parseRecording(await readAll(store, info.id));
    expect(replay.complete).toBe(true);
    const processed = replay.frames.map((f) => f.snapshot.nodes.billing?.processed);
    // Every state the run published was sampled (each stayed for two samples), in order, and the last is the stop.
    expect(processed.filter((p, i) => p !== processed[i - 1])).toEqual([
      ...seen.map((s) => s.nodes.billing!.processed),
      130,
    ]);
    expect(replay.frames.some((f) => f.snapshot.nodes.billing?.status === 'down')).toBe(true);
    expect(replay.frames.at(-1)!.snapshot.running).toBe(false);
    expect(replay.log.map((l) => l.entry.message)).toEqual(['Run started', 'billing crashed']);
    expect(replay.topologies.map((t) => t.topology.name)).toEqual(['shop', 'shop, edited']);
    await recorder.close();

    // A restarted server lists it again.
    expect(new RecordingStore(dir, 20).list().map((r) => r.id)).toEqual([info.id]);
  });

  it('stops growing at its size bound and says so, and keeps only the newest recordings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rec-'));
    const { live, recorder } = recorderOn(dir, { maxBytes: 2_000, keep: 2 });
    for (let run = 0; run < 3; run++) {
      for (let i = 1; i <= 20; i++) {
        live.setRuntime(runtime(true, run * 100 + i));
        await sleep(12);
      }
      live.setRuntime(runtime(false, 0));
      await sleep(25);
    }
    await recorder.settled();
    const list = recorder.list();
    expect(list).toHaveLength(2);
    for (const info of list) {
      expect(info.truncated).toBe(true);
      expect(info.bytes).toBeLessThanOrEqual(2_200);
    }
    expect(readdirSync(dir)).toHaveLength(4);
    await recorder.close();
  });

  it('finishes a recording a killed server left half written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rec-'));
    const id = '20260101T120000Z-abcdef';
    const header = { type: 'recording', format: 1, id, startedAt: 5, name: 'cut short', serverVersion: 't' };
    writeFileSync(
      join(dir, `${id}.ndjson`),
      `${JSON.stringify(header)}\n${JSON.stringify({ t: 0, k: { ...runtime(true, 1), kafka } })}\n{"t":900,"p":{"ru`,
    );
    const store = new RecordingStore(dir, 20);
    await store.recover();
    expect(store.list()).toMatchObject([{ id, name: 'cut short', durationMs: 0, live: false }]);
    expect(existsSync(join(dir, `${id}.ndjson`))).toBe(false);
    expect(parseRecording(await readAll(store, id)).frames).toHaveLength(1);
  });
});

describe('GET /api/recordings', () => {
  let app: FastifyInstance | undefined;
  let lab: Lab | undefined;
  afterEach(async () => {
    await app?.close();
    await lab?.close();
  });

  it('lists the runs recorded, serves one as NDJSON, and names what is wrong with a bad id', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rec-app-'));
    lab = createLab({ brokers: ['127.0.0.1:1'], topicPrefix: 'test.', dataDir, kafka: new FakeKafka(kafka.brokers) });
    app = await buildApp({ lab, webRoot: '/nonexistent' });
    expect((await app.inject({ url: '/api/recordings' })).json()).toEqual([]);
    lab.live.setRuntime(runtime(true, 1));
    await sleep(250);
    const [live] = (await app.inject({ url: '/api/recordings' })).json() as RecordingInfo[];
    expect(live).toMatchObject({ live: true });
    const partial = await app.inject({ url: `/api/recordings/${live!.id}` });
    expect(partial.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(parseRecording(partial.body).complete).toBe(false);
    lab.live.setRuntime(runtime(false, 2));
    await sleep(250);
    await lab.recorder.settled();
    const done = await app.inject({ url: `/api/recordings/${live!.id}` });
    expect(parseRecording(done.body)).toMatchObject({ complete: true, header: { id: live!.id } });

    const bad = await app.inject({ url: '/api/recordings/..%2Fsecrets' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({
      error: '"../secrets" is not a recording id (they look like 20260101T120000Z-a1b2c3)',
      path: 'id',
    });
    const missing = await app.inject({ url: '/api/recordings/20200101T000000Z-000000' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toBe(
      'No recording "20200101T000000Z-000000": it was never made or has been rotated out',
    );
  });
});

describe('an exported replay page', () => {
  it('carries the recording in a script that no text in it can end early', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rec-page-'));
    const template = join(dir, 'replay.html');
    writeFileSync(template, '<div id="root"></div>\n<!--LAB_RECORDING-->\n<script>app()</script>');
    const recording = '{"name":"</script><script>alert(1)</script>"}\n';
    const page = replayPage(recording, template);
    expect(page).not.toContain('</script><script>alert');
    const embedded = page.match(/window\.LAB_RECORDING = (.*);<\/script>/)![1]!;
    expect(JSON.parse(embedded)).toBe(recording);
    expect(() => replayPage(recording, join(dir, 'missing.html'))).toThrow(
      'The replay page is not built: run `npm run build` (it builds web/dist-replay/replay.html)',
    );
  });
});
