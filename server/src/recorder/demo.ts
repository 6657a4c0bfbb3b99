import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { text } from 'node:stream/consumers';
import { buildApp } from '../app.js';
import { defaults } from '../config.js';
import { LocalBroker } from '../kafka/broker.js';
import { KafkaMonitor } from '../kafka/monitor.js';
import { createLab, LABS_DIR } from '../lab.js';
import { loadLabs } from '../labs/loader.js';
import { solveLab } from '../labs/solve.js';
import { replayPage } from './export.js';

/**
 * `npm run build:demo`: every lab's solution played on a real local broker while the flight recorder runs,
 * each recording exported as a self-contained replay page, and an index listing them: a static site
 * (DEMO_DIR, `demo/` by default) that shows each lab play out with no server and no Kafka. DEMO_LABS (lab ids,
 * comma-separated) limits it to those labs.
 */
const out = resolve(process.env.DEMO_DIR ?? 'demo');
// The labs' minimum step times are for reading; a demo is watched, at any speed the viewer picks.
const scale = Number(process.env.DEMO_MIN_SECONDS_SCALE ?? '0.25');
const say = (line: string) => console.log(line);

async function main() {
  const loaded = loadLabs(LABS_DIR);
  const { problems } = loaded;
  // DEMO_LABS=side-by-side,first-flow records just those (a quicker build while working on one).
  const only = process.env.DEMO_LABS?.split(',').filter(Boolean);
  const labs = only ? loaded.labs.filter((l) => only.includes(l.lab.id)) : loaded.labs;
  if (only && labs.length !== only.length)
    throw new Error(`DEMO_LABS names labs that do not exist: ${only.join(', ')}`);
  if (problems.length)
    throw new Error(`Labs with problems: ${problems.map((p) => `${p.file}: ${p.error}`).join('; ')}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'lab-demo-'));
  const broker = await LocalBroker.start({
    dataDir: join(dataDir, 'kafka'),
    cacheDir: process.env.KAFKA_CACHE_DIR || defaults().KAFKA_CACHE_DIR,
    port: 29092,
    heap: '512m',
    say,
  });
  const monitor = new KafkaMonitor([broker.bootstrap], true);
  monitor.start();
  const lab = createLab({
    brokers: [broker.bootstrap],
    topicPrefix: 'demo.',
    dataDir,
    kafka: monitor,
    minSecondsScale: scale,
    keepRecordings: labs.length,
  });
  const app = await buildApp({ lab, webRoot: '/nonexistent' });
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const rows: string[] = [];
  let failed = 0;
  try {
    for (const [index, loaded] of labs.entries()) {
      const file = `${String(index + 1).padStart(2, '0')}-${loaded.lab.id}.html`;
      say(`Recording lab ${index + 1}/${labs.length}: ${loaded.lab.title}`);
      try {
        await solveLab(app, lab, loaded, { stepTimeoutMs: 120_000 });
        // A few seconds after the last step: the closing numbers settle on screen before the end.
        await new Promise((r) => setTimeout(r, 3_000));
        await app.inject({ method: 'POST', url: '/api/stop', payload: {} });
        await new Promise((r) => setTimeout(r, 500));
        await lab.recorder.settled();
        const info = lab.recorder.list().find((r) => r.labId === loaded.lab.id && !r.live);
        if (!info) throw new Error('no recording was made');
        writeFileSync(join(out, file), replayPage(await text(lab.recordings.open(info.id)!)));
        rows.push(row(index + 1, loaded.lab.title, loaded.lab.claim, file, info.durationMs));
      } catch (error) {
        failed++;
        say(`  failed: ${(error as Error).message}`);
        rows.push(
          `<li><strong>${index + 1}. ${escapeHtml(loaded.lab.title)}</strong>: not recorded (${escapeHtml((error as Error).message)})</li>`,
        );
      } finally {
        await app.inject({ method: 'POST', url: '/api/stop', payload: {} });
        await app.inject({ method: 'POST', url: '/api/reset', payload: {} });
      }
    }
    writeFileSync(join(out, 'index.html'), indexPage(rows));
    say(`Demo site: ${join(out, 'index.html')} (${labs.length - failed} of ${labs.length} labs recorded)`);
  } finally {
    await app.close();
    await lab.close();
    monitor.stop();
    await broker.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

function row(n: number, title: string, claim: string, file: string, durationMs: number): string {
  const minutes = `${Math.floor(durationMs / 60_000)}:${String(Math.round((durationMs % 60_000) / 1000)).padStart(2, '0')}`;
  return `<li><a href="./${file}">${n}. ${escapeHtml(title)}</a> <small>(${minutes} recorded)</small><p>${escapeHtml(claim)}</p></li>`;
}

function indexPage(rows: string[]): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Kafka Microservices Lab: recorded labs</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:760px;margin:40px auto;padding:0 16px;color:#16202c}
li{margin:0 0 18px}p{margin:4px 0 0;color:#5a6675}</style></head><body>
<h1>Kafka Microservices Lab: every lab, recorded</h1>
<p>Each lab's solution, played on a real Kafka broker and recorded. Open one to watch it play out: pause, seek,
play at up to 8× speed. Nothing here needs a server or Kafka.</p>
<ol style="list-style:none;padding:0">${rows.join('\n')}</ol></body></html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
