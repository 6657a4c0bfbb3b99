import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Row, startBenchEnv } from './env.js';
import { footprint, startup } from './footprint.js';
import { eventToScreen, killToScreen } from './screen.js';
import { smoothness } from './smoothness.js';
import { throughput } from './throughput.js';

/** `npm run bench`: every measure against its baseline, in one run, on one broker. */
const OUT = join(process.cwd(), 'bench-results');

async function main() {
  const env = await startBenchEnv();
  const rows: Row[] = [];
  /** `BENCH_ONLY=footprint,throughput`: just those measures (a step's name starts with one of them). */
  const only = process.env.BENCH_ONLY?.split(',');
  const step = async (name: string, measure: () => Promise<Row | Row[]>) => {
    if (only && !only.some((o) => name.startsWith(o))) return;
    console.log(`▶ ${name}`);
    try {
      const result = await measure();
      rows.push(...(Array.isArray(result) ? result : [result]));
    } catch (err) {
      rows.push({
        measure: name,
        lab: 'failed',
        baseline: '',
        ratio: '',
        note: err instanceof Error ? err.message : String(err),
      });
    }
  };
  try {
    await step('start-up', () => startup(env));
    await step('throughput', () => throughput(env));
    await step('event-to-screen', () => eventToScreen(env));
    await step('kill-to-screen', () => killToScreen(env));
    await step('canvas smoothness', () => smoothness(env));
    await step('footprint', () => footprint(env));
  } finally {
    await env.close();
  }
  const table = [
    '| measure | lab | baseline (same run) | ratio | note |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.measure} | ${r.lab} | ${r.baseline} | ${r.ratio} | ${r.note ?? ''} |`),
  ].join('\n');
  mkdirSync(OUT, { recursive: true });
  const when = new Date().toISOString();
  writeFileSync(join(OUT, 'report.md'), `# Bench ${when}\n\n${table}\n`);
  writeFileSync(join(OUT, 'report.json'), JSON.stringify({ when, rows }, null, 2));
  console.log(`\n${table}\n\nReport: ${join(OUT, 'report.md')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
