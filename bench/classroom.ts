import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  applyDelta,
  type ClassNotice,
  type ClassroomState,
  type EveryoneResult,
  type ServerMessage,
  type Snapshot,
  type TopologyDocument,
} from '@lab/model';
import WebSocket from 'ws';
import { defaults } from '../server/src/config.js';
import { LocalBroker } from '../server/src/kafka/broker.js';
import { createKafka, plainProducer } from '../server/src/kafka/client.js';
import { workspacePrefix } from '../server/src/workspaces/names.js';
import { startServerProcess } from '../server/test/server-process.js';
import { percentile, sleep } from './env.js';
import { askForHelp, attendeeAddress, Client, Dashboard, join as joinRoom, NoticeReader, walkLab4 } from './room.js';

/**
 * `npm run bench:classroom`: N simulated attendees on one server and the local broker, each in a workspace of
 * its own running lab 4's topology at its rates, each with a live WebSocket reader. Event-to-screen per
 * attendee: a probe event produced straight to Kafka into the attendee's own `probe` topic, until that
 * attendee's live feed shows its probe service processed it. For N = 10, 20, 30 (or CLASSROOM_SIZES): server
 * RSS and CPU, event-to-screen p50/p99, the lag left, errors, and events lost after the sources stop.
 *
 * `npm run bench:classroom -- --classroom [--minutes 10] [--attendees 30]`: the same in classroom mode
 * (CLASSROOM=1; see room.ts): the attendees join through the join API, the instructor starts lab 4 for
 * everyone, each attendee walks it and asks for help now and then while the instructor's dashboard polls, and
 * the bench adds the dashboard update latency and the broadcast-to-attendee latency.
 */
const { values: args } = parseArgs({
  options: {
    classroom: { type: 'boolean', default: false },
    minutes: { type: 'string' },
    attendees: { type: 'string' },
  },
});
const SIZES = (args.attendees ?? process.env.CLASSROOM_SIZES ?? '10,20,30').split(',').map(Number);
const MODE = {
  classroom: args.classroom,
  warmupS: Number(process.env.CLASSROOM_WARMUP_SECONDS ?? 20),
  measureS: args.minutes ? Number(args.minutes) * 60 : Number(process.env.CLASSROOM_SECONDS ?? 30),
};
if (SIZES.some((n) => !Number.isInteger(n) || n < 1) || !(MODE.measureS > 0))
  throw new Error('--attendees takes whole numbers (e.g. 30 or 10,20,30), --minutes a positive number');
const PREFIX = 'room.';
/** The instructor's token of the bench's own classroom server. */
const TOKEN = randomBytes(18).toString('base64url');
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

  /** A classroom notice pushed on the feed goes to `onNotice`. */
  onNotice: ((notice: ClassNotice) => void) | undefined;

  constructor(url: string, options: WebSocket.ClientOptions = {}) {
    this.socket = new WebSocket(url, options);
    this.socket.on('error', () => this.errors++);
    this.socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      if (message.type === 'notice') return this.onNotice?.(message.notice);
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

/** How a simulated attendee came to have a workspace, and what else the room does while measured. */
interface Mode {
  classroom: boolean;
  warmupS: number;
  measureS: number;
}

/** The bench's server: plain workspaces, or CLASSROOM=1 with the bench's own instructor token. */
function serverEnv(size: number, brokers: string, mode: Mode): NodeJS.ProcessEnv {
  return {
    KAFKA_BROKERS: brokers,
    TOPIC_PREFIX: PREFIX,
    MAX_WORKSPACES: String(size),
    SERVER_MAX_INSTANCES: '2000',
    WORKSPACE_IDLE_MINUTES: '0',
    ...(mode.classroom ? { CLASSROOM: '1', CLASSROOM_MAX_ATTENDEES: String(size), ACCESS_TOKEN: TOKEN } : {}),
  };
}

interface Attendee {
  /** Their workspace's name. */
  id: string;
  client: Client;
}

/**
 * Plain: the bench names N workspaces and puts lab 4 (with the probe) in each. Classroom: N attendees join
 * through the join API from addresses of their own, the instructor starts lab 4 for everyone and runs it
 * ("Run all"), then each attendee adds the probe to their topology (a live edit).
 */
async function seat(size: number, instructor: Client, mode: Mode): Promise<Attendee[]> {
  const topology = attendeeTopology();
  if (!mode.classroom) {
    const names = Array.from({ length: size }, (_, i) => `att-${i + 1}`);
    for (const id of names) {
      await instructor.call('PUT', `/w/${id}/api/topology`, topology);
      await instructor.call('POST', `/w/${id}/api/run`);
    }
    // A refused seat would only show later as sends to topics that were never made: say why now.
    if (instructor.errors.length) throw new Error(`seating failed: ${instructor.errors[0]}`);
    return names.map((id) => ({ id, client: instructor }));
  }
  const { body: state } = await instructor.call<ClassroomState>('GET', '/api/classroom');
  const attendees: Attendee[] = [];
  for (let i = 0; i < size; i++)
    attendees.push(await joinRoom(new Client(instructor.origin, attendeeAddress(i)), state.code, `Attendee ${i + 1}`));
  const everyone = async (path: string, body: unknown) => {
    const { body: answer } = await instructor.call<EveryoneResult>('POST', path, body);
    for (const failed of answer.results.filter((r) => !r.ok))
      instructor.errors.push(`${path}: ${failed.name}: ${failed.error}`);
  };
  await everyone('/api/classroom/start', { labId: 'side-by-side' });
  await everyone('/api/classroom/command', { command: { run: true } });
  for (const { id, client } of attendees) await client.call('PUT', `/w/${id}/api/topology`, topology);
  return attendees;
}

async function room(size: number, brokers: string, mode: Mode): Promise<string> {
  const server = startServerProcess(serverEnv(size, brokers, mode));
  const origin = new URL(await server.ready).origin;
  const pid = server.child.pid!;
  const instructor = new Client(origin, '127.0.0.1', mode.classroom ? { authorization: `Bearer ${TOKEN}` } : {});
  const idle = processStats(pid);
  const readers: Reader[] = [];
  const kafka = createKafka([brokers], 'bench-classroom');
  const producer = plainProducer(kafka);
  await producer.connect();
  let attendees: Attendee[] = [];
  let dashboard: Dashboard | undefined;
  let notices: NoticeReader[] = [];
  let row: string;
  let sampler: NodeJS.Timeout | undefined;
  let broadcasts: NodeJS.Timeout | undefined;
  try {
    // The instructor's dashboard is open before anyone joins, as in a room: a change made while the attendees
    // are still being seated (lab 4's first step turns green during it) is measured from when it happened, not
    // from when a late-opened dashboard first looked (that made the 39 s and 64 s "tails" of earlier runs).
    if (mode.classroom) dashboard = new Dashboard(instructor);
    attendees = await seat(size, instructor, mode);
    for (const { id, client } of attendees)
      readers.push(new Reader(`${origin.replace('http', 'ws')}/w/${id}/live`, client.wsOptions));
    // Every attendee's page, polling as it does from the start.
    if (mode.classroom) {
      notices = attendees.map(({ client }, i) => {
        const reader = new NoticeReader(client);
        readers[i]!.onNotice = (notice) => reader.hear(notice);
        return reader;
      });
    }
    await sleep(mode.warmupS * 1000);
    const before = processStats(pid);
    const started = Date.now();
    const until = started + mode.measureS * 1000;
    let peakRss = before.rssMb;
    sampler = setInterval(() => (peakRss = Math.max(peakRss, processStats(pid).rssMb)), 1_000);
    // A broadcast every minute: how long until every attendee's page has it.
    broadcasts = mode.classroom
      ? setInterval(
          () => void instructor.call('POST', '/api/classroom/broadcast', { text: 'Two more minutes' }),
          60_000,
        )
      : undefined;
    const latencies: number[] = [];
    let missedProbes = 0;
    // Each attendee gets a probe about once a second, all attendees in parallel, for the window; in a
    // classroom each also walks lab 4 and asks for help now and then.
    await Promise.all(
      attendees.flatMap(({ id, client }, i) => {
        const reader = readers[i]!;
        const probes = async () => {
          await sleep((i * 1000) / size);
          while (Date.now() < until) {
            const above = reader.probeCount();
            const seen = reader.nextProbe(above);
            const t0 = Date.now();
            await producer.send({
              topic: `${workspacePrefix(PREFIX, id)}probe`,
              acks: -1,
              messages: [{ value: JSON.stringify({ probe: t0 }) }],
            });
            const at = await seen;
            if (at === undefined) missedProbes++;
            else latencies.push(at - t0);
            await sleep(1_000);
          }
        };
        return dashboard
          ? [probes(), walkLab4(client, id, reader, dashboard), askForHelp(client, id, dashboard, until)]
          : [probes()];
      }),
    );
    const after = processStats(pid);
    const cpu = (after.cpuSeconds - before.cpuSeconds) / ((Date.now() - started) / 1000);
    const seen = await dashboard?.stop();
    let lagAtEnd = 0;
    for (const reader of readers)
      for (const link of Object.values(reader.snapshot?.links ?? {})) lagAtEnd += link.lag ?? 0;

    // Then every acknowledged event must be finished by every consuming service.
    for (const { id } of attendees) {
      await instructor.call('POST', `/w/${id}/api/nodes/rest-shop/rate`, { perSecond: 0 });
      await instructor.call('POST', `/w/${id}/api/nodes/ev-shop/rate`, { perSecond: 0 });
    }
    let lost = 0;
    let pending = 0;
    const deadline = Date.now() + 60_000;
    for (const { id } of attendees) {
      for (const topic of ['orders', 'probe']) {
        for (;;) {
          const report = await instructor.call<{ groups: Record<string, { missing: number; lost: number }> }>(
            'GET',
            `/w/${id}/api/topics/${topic}/delivery`,
          );
          const groups = Object.values(report.body.groups);
          const missing = groups.reduce((sum, g) => sum + g.missing, 0);
          if (missing === 0 || Date.now() > deadline) {
            pending += missing;
            lost += groups.reduce((sum, g) => sum + g.lost, 0);
            break;
          }
          await sleep(500);
        }
      }
    }
    const errors = [
      ...instructor.errors,
      ...attendees.flatMap(({ client }) => (client === instructor ? [] : client.errors)),
      ...readers.flatMap((r) => Array.from({ length: r.errors }, () => 'a live feed socket error')),
      ...(seen?.unseen.map((key) => `the dashboard never showed "${key}"`) ?? []),
    ];
    for (const error of errors.slice(0, 20)) console.log(`  error: ${error}`);
    if (seen?.slowest.length) console.log(`  slowest dashboard changes: ${seen.slowest.join('; ')}`);
    const e2s = `${percentile(latencies, 0.5)} / ${percentile(latencies, 0.99)} ms`;
    const common = `| ${size} | ${idle.rssMb} MB | ${after.rssMb} MB (peak ${peakRss}) | ${Math.round(cpu * 100)}% | ${e2s} | ${latencies.length} (${missedProbes} not seen in 10 s) |`;
    const tail = `${lagAtEnd} | ${pending} pending, ${lost} lost | ${errors.length} |`;
    if (!seen) row = `${common} ${tail}`;
    else {
      const heard = notices.flatMap((n) => n.latencies);
      row = `${common} ${percentile(seen.latencies, 0.5)} / ${percentile(seen.latencies, 0.99)} ms (${seen.latencies.length} changes, ${dashboard!.polls} polls) | ${percentile(heard, 0.5)} / ${percentile(heard, 0.99)} ms (${heard.length}) | ${tail}`;
    }
  } catch (err) {
    // What the server said is the first thing to read when a room fails.
    console.log(`  the server's last output:\n${server.output().split('\n').slice(-30).join('\n')}`);
    throw err;
  } finally {
    // The sampler reads the server's /proc entry: it must stop before the server does.
    clearInterval(sampler);
    clearInterval(broadcasts);
    await dashboard?.stop();
    for (const reader of notices) await reader.stop();
    for (const reader of readers) reader.close();
    for (const { id } of attendees) await instructor.call('POST', `/w/${id}/api/reset`).catch(() => {});
    for (const { client } of attendees) client.close();
    instructor.close();
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
      console.log(
        `▶ ${size} attendees${MODE.classroom ? ' in a classroom' : ''} (${MODE.warmupS} s warm-up, ${MODE.measureS} s measured)`,
      );
      try {
        rows.push(await room(size, broker.bootstrap, MODE));
      } catch (err) {
        rows.push(`| ${size} | failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)} ||||||||`);
      }
      console.log(rows.at(-1));
    }
  } finally {
    await broker.stop();
  }
  const columns = [
    'attendees',
    'server RSS idle',
    'RSS running',
    'server CPU (of one core)',
    'event-to-screen p50 / p99',
    'probes',
    ...(MODE.classroom ? ['dashboard update p50 / p99', 'broadcast to attendee p50 / p99'] : []),
    'lag at end (events)',
    'after draining',
    'errors',
  ];
  const table = [`| ${columns.join(' | ')} |`, `|${' --- |'.repeat(columns.length)}`, ...rows].join('\n');
  const when = new Date().toISOString();
  const file = join(OUT, MODE.classroom ? 'classroom-mode.md' : 'classroom.md');
  const what = MODE.classroom
    ? 'Classroom mode (CLASSROOM=1): attendees joined through the join API, lab 4 started for everyone and walked by each, help asked and withdrawn every 4 to 16 s, the dashboard polled'
    : 'Each attendee: lab 4 (2 sources at 20 ev/s, 4 services) plus a probe service';
  mkdirSync(OUT, { recursive: true });
  writeFileSync(
    file,
    `# Classroom bench ${when}\n\n${what}; ${MODE.warmupS} s warm-up, ${MODE.measureS} s measured.\n\n${table}\n`,
  );
  console.log(`\n${table}\n\nReport: ${file}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
