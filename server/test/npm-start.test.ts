import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAlive, waitFor } from './server-process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Every process under `pid`, deepest last (npm, the shell it may run, node, the broker's JVM). */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

// `npm start` as a process manager or a container runs it: stopped by a signal to npm itself, the server and
// the broker it started stop too. (npm passes SIGINT/SIGTERM to its script; the script execs node, so no
// shell sits in between to swallow them.)
describe('npm start', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stopped by %s: no server and no broker left behind',
    async (signal) => {
      const npm = spawn('npm', ['start'], {
        cwd: ROOT,
        env: {
          ...process.env,
          PORT: '0',
          LAB_DATA_DIR: mkdtempSync(join(tmpdir(), 'npm-start-')),
          KAFKA_PORT: '39092',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      npm.stdout.on('data', (c) => (output += String(c)));
      npm.stderr.on('data', (c) => (output += String(c)));
      const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
      await waitFor(() => /Lab ready: http/.test(output), 110_000, `"Lab ready" from npm start:\n${output}`);
      const tree = descendants(npm.pid!);
      const commands = tree.map((pid) => execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }));
      expect(commands.some((c) => c.includes('server/dist/main.js'))).toBe(true);
      expect(commands.some((c) => c.includes('java'))).toBe(true);

      npm.kill(signal);
      await exited;
      await waitFor(
        () => tree.every((pid) => !isAlive(pid)),
        20_000,
        `every process of npm start to end: ${tree.join(', ')}`,
      );
    },
    180_000,
  );
});
