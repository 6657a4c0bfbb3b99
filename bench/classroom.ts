import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyDelta, type ServerMessage, type Snapshot, type TopologyDocument } from '@lab/model';
import WebSocket from 'ws';
import { defaults } from '../server/src/config.js';
import { LocalBroker } from '../server/src/kafka/broker.js';
import { createKafka, plainProducer } from '../server/src/kafka/client.js';
import { workspacePrefix } from '../server/src/workspaces/names.js';
import { startServerProcess } from '../server/test/server-process.js';
import { percentile, sleep } from './env.js';

/**
 * `npm run bench:classroom`: N simulated attendees on one server and the local broker, each in a workspace of
 * its own running lab 4's topology at its rates, each with a live WebSocket reader. Event-to-screen per
 * attendee: a probe event produced straight to Kafka into the attendee's own `probe` topic, until that
 * attendee's live feed shows its probe service processed it. For N = 10, 20, 30 (or CLASSROOM_SIZES): server
 * RSS and CPU, event-to-screen p50/p99, the lag left, errors, and events lost after the sources stop.
 */
const SIZES = (process.env.CLASSROOM_SIZES ?? '10,20,30').split(',').map(Number);
const WARMUP_S = Number(process.env.CLASSROOM_WARMUP_SECONDS ?? 20);
const MEASURE_S = Number(process.env.CLASSROOM_SECONDS ?? 30);
const PREFIX = 'room.';
const OUT = join(process.cwd(), 'bench-results');

/** Lab 4 as an attendee starts it, plus a probe: a topic only the bench writes to, and a service reading it. */
function attendeeTopology(): TopologyDocument {
  const lab4 = JSON.parse(
    readFileSync(join(process.cwd(), 'labs', '04-side-by-side', 'topology.json'), 'utf8'),
  ) as TopologyDocument;
  return {
    ...lab4,
    nodes: [
      ...lab4.nodes,
      { id: 'probe', kind: 'topic', partitions: 1 },
      { id: 'probe-sink', kind: 'service', processingMs: 0 },
    ],
    links: [...lab4.links, { id: 'probe-in', kind: 'consume', from: 'probe', to: 'probe-sink' }],
  };
}

function processStats(pid: number): { rssMb: number; cpuSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  // utime and stime, fields 14 and 15 of /proc/pid/stat, in clock ticks (100 per second on Linux).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { rssMb: Math.round(rss), cpuSeconds: ticks / 100 };
}

/** One attendee's live reader: the snapshot as its browser would hold it, and when the probe count moved. */
class Reader {
  snapshot: Snapshot | undefined;
  private readonly socket: WebSocket;
  private waiting: { above: number; resolve: (at: number) => void } | undefined;
  errors = 0;

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.socket.on('error', () => this.errors++);
    this.socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      if (message.type === 'snapshot') this.snapshot = message.snapshot;
      else if (message.type === 'frame' && this.snapshot) this.snapshot = applyDelta(this.snapshot, message.delta);
      else return;
      const processed = this.snapshot?.nodes['probe-sink']?.processed ?? 0;
      if (this.waiting && processed > this.waiting.above) {
        this.waiting.resolve(Date.now());
        this.waiting = undefined;
      }
    });
  }

  probeCount(): number {
    return this.snapshot?.nodes['probe-sink']?.processed ?? 0;
  }

  nextProbe(above: number, timeoutMs = 10_000): Promise<number | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      this.waiting = {
        above,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
    });
  }

  close() {
    this.socket.terminate();
  }
}

async function room(size: number, brokers: string): Promise<string> {
  const server = startServerProcess({
    KAFKA_BROKERS: brokers,
    TOPIC_PREFIX: PREFIX,
    MAX_WORKSPACES: String(size),
    SERVER_MAX_INSTANCES: '2000',
    WORKSPACE_IDLE_MINUTES: '0',
  });
  const url = await server.ready;
  const pid = server.child.pid!;
  let errors = 0;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) {
      errors++;
      console.log(`  ${method} ${path}: ${res.status} ${await res.text()}`);
    }
    return res.json() as Promise<Record<string, unknown>>;
  };
  const idle = processStats(pid);
  const names = Array.from({ length: size }, (_, i) => `att-${i + 1}`);
  const topology = attendeeTopology();
  const readers: Reader[] = [];
  const kafka = createKafka([brokers], 'bench-classroom');
  const producer = plainProducer(kafka);
  await producer.connect();
  let row: string;
  try {
    for (const name of names) {
      await api('PUT', `/w/${name}/api/topology`, topology);
      await api('POST', `/w/${name}/api/run`);
      readers.push(new Reader(`${url.replace('http', 'ws')}/w/${name}/live`));
    }
    await sleep(WARMUP_S * 1000);
    const before = processStats(pid);
    const started = Date.now();
    const latencies: number[] = [];
    let missedProbes = 0;
    let peakRss = before.rssMb;
    // Each attendee gets a probe about once a second, all attendees in parallel, for the window.
    await Promise.all(
      names.map(async (name, i) => {
        const reader = readers[i]!;
        await sleep((i * 1000) / size);
        while (Date.now() - started < MEASURE_S * 1000) {
          const above = reader.probeCount();
          const seen = reader.nextProbe(above);
          const t0 = Date.now();
          await producer.send({
            topic: `${workspacePrefix(PREFIX, name)}probe`,
            acks: -1,
            messages: [{ value: JSON.stringify({ probe: t0 }) }],
          });
          const at = await seen;
          if (at === undefined) missedProbes++;
          else latencies.push(at - t0);
          peakRss = Math.max(peakRss, processStats(pid).rssMb);
          await sleep(1_000);
        }
      }),
    );
    const after = processStats(pid);
    const cpu = (after.cpuSeconds - before.cpuSeconds) / ((Date.now() - started) / 1000);
    let lagAtEnd = 0;
    for (const reader of readers)
      for (const link of Object.values(reader.snapshot?.links ?? {})) lagAtEnd += link.lag ?? 0;

    // Then every acknowledged event must be finished by every consuming service.
    for (const name of names) {
      await api('POST', `/w/${name}/api/nodes/rest-shop/rate`, { perSecond: 0 });
      await api('POST', `/w/${name}/api/nodes/ev-shop/rate`, { perSecond: 0 });
    }
    let lost = 0;
    let pending = 0;
    const deadline = Date.now() + 60_000;
    for (const name of names) {
      for (;;) {
        const report = await api('GET', `/w/${name}/api/topics/orders/delivery`);
        const groups = Object.values(report.groups as Record<string, { missing: number; lost: number }>);
        const missing = groups.reduce((sum, g) => sum + g.missing, 0);
        if (missing === 0 || Date.now() > deadline) {
          pending += missing;
          lost += groups.reduce((sum, g) => sum + g.lost, 0);
          break;
        }
        await sleep(500);
      }
    }
    for (const reader of readers) errors += reader.errors;
    row = `| ${size} | ${idle.rssMb} MB | ${after.rssMb} MB (peak ${peakRss}) | ${Math.round(cpu * 100)}% | ${percentile(latencies, 0.5)} / ${percentile(latencies, 0.99)} ms | ${latencies.length} (${missedProbes} not seen in 10 s) | ${lagAtEnd} | ${pending} pending, ${lost} lost | ${errors} |`;
  } finally {
    for (const reader of readers) reader.close();
    for (const name of names) await api('POST', `/w/${name}/api/reset`).catch(() => {});
    await producer.disconnect();
    server.child.kill('SIGTERM');
    await server.exited;
  }
  return row;
}

async function main() {
  const broker = await LocalBroker.start({
    dataDir: mkdtempSync(join(tmpdir(), 'bench-classroom-kafka-')),
    cacheDir: process.env.KAFKA_CACHE_DIR || defaults().KAFKA_CACHE_DIR,
    port: 59192,
    heap: '768m',
    say: () => {},
  });
  const rows: string[] = [];
  try {
    for (const size of SIZES) {
      console.log(`▶ ${size} attendees (${WARMUP_S} s warm-up, ${MEASURE_S} s measured)`);
      try {
        rows.push(await room(size, broker.bootstrap));
      } catch (err) {
        rows.push(`| ${size} | failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)} ||||||||`);
      }
      console.log(rows.at(-1));
    }
  } finally {
    await broker.stop();
  }
  const table = [
    '| attendees | server RSS idle | RSS running | server CPU (of one core) | event-to-screen p50 / p99 | probes | lag at end (events) | after draining | errors |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
  const when = new Date().toISOString();
  mkdirSync(OUT, { recursive: true });
  writeFileSync(
    join(OUT, 'classroom.md'),
    `# Classroom bench ${when}\n\nEach attendee: lab 4 (2 sources at 20 ev/s, 4 services) plus a probe service; ${WARMUP_S} s warm-up, ${MEASURE_S} s measured.\n\n${table}\n`,
  );
  console.log(`\n${table}\n\nReport: ${join(OUT, 'classroom.md')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
