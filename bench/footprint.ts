import { readFileSync } from 'node:fs';
import { startServerProcess } from '../server/test/server-process.js';
import { type BenchEnv, type Row, sleep } from './env.js';

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.split(/\s+/)[1] ?? 0) / 1024);
}

/** Warm start of the server to ready (its broker already up), and the broker's own ready time. */
export async function startup(env: BenchEnv): Promise<Row[]> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const server = startServerProcess({ KAFKA_BROKERS: env.broker.bootstrap, TOPIC_PREFIX: 'bench.start.' });
    await server.ready;
    times.push(performance.now() - t0);
    server.child.kill('SIGTERM');
    await server.exited;
  }
  const warm = Math.min(...times);
  return [
    {
      measure: 'Warm start to ready (server; broker already running)',
      lab: `${Math.round(warm)} ms`,
      baseline: `${Math.round(env.brokerReadyMs)} ms (local broker: JVM start to first Metadata answer)`,
      ratio: `${(warm / env.brokerReadyMs).toFixed(2)}×`,
      note: 'best of 3; `npm start` adds the build',
    },
  ];
}

/** CPU time (user + system, every thread) the process has used so far, in ms. */
function cpuMs(pid: number): number {
  // Fields 14 and 15 of /proc/pid/stat, in clock ticks (100 a second); the name (field 2) may hold spaces.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Share of one core the process uses over `ms`, in percent. */
async function cpuPercent(pid: number, ms: number): Promise<number> {
  const before = cpuMs(pid);
  await sleep(ms);
  return ((cpuMs(pid) - before) / ms) * 100;
}

/** One source and services of up to 4 instances each (one group per service), `instances` in all. */
function fleet(instances: number, ratePerSec: number) {
  const services: { id: string; kind: string; processingMs: number; instances: number }[] = [];
  for (let left = instances - 1, i = 0; left > 0; left -= 4, i++)
    services.push({ id: `svc${i}`, kind: 'service', processingMs: 2, instances: Math.min(4, left) });
  return {
    version: 1,
    name: `${instances} instances`,
    nodes: [{ id: 'src', kind: 'source', ratePerSec }, { id: 'events', kind: 'topic', partitions: 4 }, ...services],
    links: [
      { id: 'p', kind: 'produce', from: 'src', to: 'events' },
      ...services.map((s) => ({ id: `c-${s.id}`, kind: 'consume', from: 'events', to: s.id })),
    ],
  };
}

/**
 * Server memory (RSS, every thread) and CPU with 20 services at 200 ev/s (the figure the lab was first measured
 * with), then with 20, 100 and 300 instances (`BENCH_FLEETS`) under light traffic and at rest, against the same
 * server idle in the same run. Per instance = (running − idle) / instances: host threads included.
 */
export async function footprint(env: BenchEnv): Promise<Row[]> {
  const pid = env.server.child.pid!;
  await env.api('POST', '/api/reset');
  await env.api('PUT', '/api/topology', { version: 1, name: 'empty', nodes: [], links: [] });
  await sleep(2_000);
  const idle = rssMb(pid);
  const idleCpu = await cpuPercent(pid, 10_000);
  const rows: Row[] = [];
  const services = Array.from({ length: 20 }, (_, i) => ({ id: `svc${i}`, kind: 'service', processingMs: 2 }));
  await env.api('PUT', '/api/topology', {
    version: 1,
    name: '20 services',
    nodes: [
      { id: 'src', kind: 'source', ratePerSec: 200 },
      { id: 'events', kind: 'topic', partitions: 3 },
      ...services,
    ],
    links: [
      { id: 'p', kind: 'produce', from: 'src', to: 'events' },
      ...services.map((s) => ({ id: `c-${s.id}`, kind: 'consume', from: 'events', to: s.id })),
    ],
  });
  await env.api('POST', '/api/run');
  await sleep(15_000);
  const running = rssMb(pid);
  await env.api('POST', '/api/stop');
  rows.push({
    measure: 'Server memory with 20 services running at 200 ev/s (RSS)',
    lab: `${running} MB`,
    baseline: `${idle} MB (same server, nothing running)`,
    ratio: `${(running / idle).toFixed(1)}×`,
    note: `${((running - idle) / 21).toFixed(1)} MB per instance (21: 20 services and the source; host threads included)`,
  });
  const fleets = (process.env.BENCH_FLEETS ?? '20,100,300').split(',').map(Number);
  for (const n of fleets) {
    await env.api('POST', '/api/reset');
    await env.api('PUT', '/api/topology', fleet(n, 20));
    const t0 = performance.now();
    await env.api('POST', '/api/run');
    const startMs = performance.now() - t0;
    await sleep(15_000);
    const state = await env.api<{ nodes: Record<string, { instances: { status: string }[] }> }>('GET', '/api/state');
    const up = Object.values(state.nodes).reduce(
      (sum, node) => sum + node.instances.filter((i) => i.status !== 'down').length,
      0,
    );
    const rss = rssMb(pid);
    await env.api('POST', '/api/nodes/src/rate', { perSecond: 0 });
    await sleep(3_000);
    const cpu = await cpuPercent(pid, 10_000);
    const stopped = performance.now();
    await env.api('POST', '/api/stop');
    const stopMs = performance.now() - stopped;
    rows.push({
      measure: `Server memory with ${n} instances (RSS; 20 ev/s through ${Math.ceil((n - 1) / 4)} groups)`,
      lab: `${rss} MB`,
      baseline: `${idle} MB (same server idle)`,
      ratio: `${(rss / idle).toFixed(1)}×`,
      note: `${((rss - idle) / n).toFixed(2)} MB per instance; ${up} of ${n} up; run took ${Math.round(startMs)} ms, stop ${Math.round(stopMs)} ms`,
    });
    rows.push({
      measure: `Server CPU with ${n} instances at rest (source at 0 ev/s)`,
      lab: `${cpu.toFixed(1)}% of a core`,
      baseline: `${idleCpu.toFixed(1)}% (same server idle)`,
      ratio: '',
      note: `${((cpu - idleCpu) / n).toFixed(3)}% of a core per idle instance (its consumer's fetches and heartbeats)`,
    });
  }
  return rows;
}
