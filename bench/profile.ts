import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `tsx bench/profile.ts <dir>`: what the CPU profiles written under BENCH_PROFILE=<dir> spent their time on,
 * one block per thread (the server's main thread and each instance's worker): busy share, then the functions
 * with the most self time.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const TOP = Number(process.env.PROFILE_TOP ?? 15);

function summarize(file: string, profile: Profile) {
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    total += ms;
    if (frame.functionName === '(idle)') {
      idle += ms;
      return;
    }
    const where = frame.url ? frame.url.replace(/^.*\/(node_modules|src|dist)\//, '$1/') : '';
    const name = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + ms);
  });
  const busy = total - idle;
  console.log(
    `\n${file}: ${(total / 1000).toFixed(1)} s, busy ${(busy / 1000).toFixed(1)} s (${((busy / total) * 100).toFixed(0)}%)`,
  );
  for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, TOP))
    console.log(`  ${((ms / busy) * 100).toFixed(1).padStart(5)}%  ${name}`);
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: tsx bench/profile.ts <dir written by BENCH_PROFILE>');
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .sort())
  summarize(file, JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile);
