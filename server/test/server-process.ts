import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built server entry: these tests run the process exactly as `npm start` does. */
export const MAIN_JS = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  dataDir: string;
  /** Everything the process printed so far (stdout and stderr). */
  output: () => string;
  /** Resolves with the lab's URL once it printed "Lab ready", rejects if it exits first. */
  ready: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** PID of the broker JVM the server started, read from its pid file. */
  brokerPid: () => number | undefined;
}

/**
 * Starts `node server/dist/main.js` with a fresh data dir and PORT=0 unless env says otherwise; `nodeArgs` go
 * to node before the script (e.g. --cpu-prof, which NODE_OPTIONS refuses).
 */
export function startServerProcess(env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): ServerProcess {
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run \`npm run build\` first`);
  const dataDir = env.LAB_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'lab-proc-'));
  const child = spawn(process.execPath, [...nodeArgs, MAIN_JS], {
    env: { ...process.env, PORT: '0', LAB_DATA_DIR: dataDir, KAFKA_PORT: '29092', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const url = /Lab ready: (http:\/\/\S+)/.exec(text)?.[1];
      if (url) resolve(url);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(({ code }) => reject(new Error(`server exited (${code}) before ready:\n${text}`)));
  });
  ready.catch(() => {}); // callers that only wait for the exit should not see an unhandled rejection
  const pidFile = join(dataDir, 'kafka', 'broker.pid');
  return {
    child,
    dataDir,
    output: () => text,
    ready,
    exited,
    brokerPid: () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined),
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `condition` until it holds or `timeoutMs` passes: tests wait on conditions, never on fixed sleeps. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition') {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
