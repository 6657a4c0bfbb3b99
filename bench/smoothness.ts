import { diffSnapshot, type NodeLive, PROTOCOL_VERSION, type Snapshot } from '@lab/model';
import type { Page } from '@playwright/test';
import { type BenchEnv, type Row, sleep } from './env.js';

/**
 * A synthetic topology of `size` nodes (a third sources, topics, services) with ~1.5 links per node, laid out
 * in rows, and live frames for it at 10/s with ~1,000 ev/s spread over its links. The canvas is measured on
 * exactly what a large running lab would send it, without running hundreds of workers on two cores.
 */
function synthetic(size: number) {
  const per = Math.floor(size / 3);
  const nodes = [
    ...Array.from({ length: per }, (_, i) => ({ id: `src${i}`, kind: 'source' as const, ratePerSec: 10 })),
    ...Array.from({ length: per }, (_, i) => ({ id: `topic${i}`, kind: 'topic' as const, partitions: 3 })),
    ...Array.from({ length: size - 2 * per }, (_, i) => ({ id: `svc${i}`, kind: 'service' as const })),
  ].map((n, i) => ({ ...n, position: { x: (i % 20) * 260, y: Math.floor(i / 20) * 180 } }));
  const links: { id: string; kind: 'produce' | 'consume'; from: string; to: string }[] = [];
  for (let i = 0; i < per; i++) links.push({ id: `p${i}`, kind: 'produce', from: `src${i}`, to: `topic${i}` });
  for (let i = 0; links.length < Math.round(size * 1.5); i++) {
    links.push({ id: `c${i}`, kind: 'consume', from: `topic${i % per}`, to: `svc${i % (size - 2 * per)}` });
  }
  return { version: 1 as const, name: `synthetic ${size}`, nodes, links };
}

function frame(topology: ReturnType<typeof synthetic>, tick: number): Snapshot {
  const perLink = 1_000 / Math.max(1, topology.links.length);
  const nodes: Record<string, NodeLive> = {};
  for (const n of topology.nodes) {
    nodes[n.id] = {
      status: 'running',
      instances: n.kind === 'service' ? [{ id: `${n.id}-1`, status: 'running' }] : [],
      inRate: perLink * 1.5,
      outRate: perLink * 1.5,
      errorRate: 0,
      inFlight: 1,
      p50Ms: 4 + (tick % 5),
      p99Ms: 12 + (tick % 9),
      processed: tick * 10,
      failed: 0,
    };
  }
  const links = Object.fromEntries(
    topology.links.map((l, i) => [
      l.id,
      {
        rate: perLink,
        errorRate: 0,
        timeoutRate: 0,
        p99Ms: 10,
        samples: [],
        ...(l.kind === 'consume' ? { lag: (tick + i) % 40 } : {}),
      },
    ]),
  );
  const topics = Object.fromEntries(
    topology.nodes
      .filter((n) => n.kind === 'topic')
      .map((t) => [t.id, { endOffsets: [tick * 3, tick * 3, tick * 3], groups: {} }]),
  );
  return {
    running: true,
    startedAt: Date.now() - tick * 100,
    kafka: { status: 'up', brokers: ['127.0.0.1:9092'], managed: true },
    nodes,
    links,
    topics,
    flows: {},
  };
}

async function measure(page: Page, url: string, size: number): Promise<{ fps: number; longTaskMs: number }> {
  const topology = size ? synthetic(size) : { version: 1 as const, name: 'empty', nodes: [], links: [] };
  await page.route('**/api/topology', (route) =>
    route.request().method() === 'GET' ? route.fulfill({ json: topology }) : route.fulfill({ json: { topology } }),
  );
  let timer: NodeJS.Timeout | undefined;
  await page.routeWebSocket(/\/live$/, (ws) => {
    let tick = 0;
    let last = frame(topology as ReturnType<typeof synthetic>, tick);
    ws.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, serverVersion: 'bench' }));
    ws.send(JSON.stringify({ type: 'snapshot', seq: tick, snapshot: last }));
    timer = setInterval(() => {
      tick++;
      const next = frame(topology as ReturnType<typeof synthetic>, tick);
      ws.send(JSON.stringify({ type: 'frame', seq: tick, base: tick - 1, delta: diffSnapshot(last, next) }));
      last = next;
    }, 100);
  });
  await page.goto(url);
  await sleep(4_000); // first layout, fit view, fonts
  // Passed as text: tsx rewrites functions (it adds helpers) that would not exist inside the page.
  const result = (await page.evaluate(`new Promise((resolve) => {
    let frames = 0;
    let longTaskMs = 0;
    new PerformanceObserver((list) => { for (const e of list.getEntries()) longTaskMs += e.duration; }).observe({ type: 'longtask' });
    const start = performance.now();
    const count = () => {
      frames++;
      if (performance.now() - start < 5000) requestAnimationFrame(count);
      else resolve({ fps: (frames * 1000) / (performance.now() - start), longTaskMs });
    };
    requestAnimationFrame(count);
  })`)) as { fps: number; longTaskMs: number };
  clearInterval(timer);
  return result;
}

export async function smoothness(env: BenchEnv): Promise<Row[]> {
  const run = async (size: number) => {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 720 } });
    try {
      return await measure(page, env.url, size);
    } finally {
      await page.close();
    }
  };
  const empty = await run(0);
  const rows: Row[] = [];
  for (const size of [100, 300]) {
    const result = await run(size);
    rows.push({
      measure: `Canvas smoothness, ${size} nodes / ${Math.round(size * 1.5)} links at ~1,000 ev/s (fps; long tasks per 5 s)`,
      lab: `${result.fps.toFixed(0)} fps; ${Math.round(result.longTaskMs)} ms`,
      baseline: `${empty.fps.toFixed(0)} fps; ${Math.round(empty.longTaskMs)} ms (same page, empty canvas, same frames)`,
      ratio: `${(result.fps / empty.fps).toFixed(2)}×`,
      note: 'headless Chromium, software rendering (no GPU), frames synthesised at 10/s',
    });
  }
  return rows;
}
