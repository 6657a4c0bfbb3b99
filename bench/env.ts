import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from '@playwright/test';
import { defaults } from '../server/src/config.js';
import { LocalBroker } from '../server/src/kafka/broker.js';
import { type ServerProcess, startServerProcess } from '../server/test/server-process.js';
import { chromiumArgs, chromiumPath } from '../web/e2e/chromium.js';

export interface BenchEnv {
  broker: LocalBroker;
  brokerReadyMs: number;
  server: ServerProcess;
  url: string;
  browser: Browser;
  api: Api;
  close: () => Promise<void>;
}

/** One broker, one lab server on it (the built one, as `npm start` runs it), one headless Chromium. */
export async function startBenchEnv(): Promise<BenchEnv> {
  const started = performance.now();
  const broker = await LocalBroker.start({
    dataDir: mkdtempSync(join(tmpdir(), 'bench-kafka-')),
    cacheDir: process.env.KAFKA_CACHE_DIR || defaults().KAFKA_CACHE_DIR,
    port: 59092,
    heap: '768m',
    say: () => {},
  });
  const brokerReadyMs = performance.now() - started;
  const server = startServerProcess({ KAFKA_BROKERS: broker.bootstrap, TOPIC_PREFIX: 'bench.' });
  const url = await server.ready;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const api = apiOf(url);
  return {
    broker,
    brokerReadyMs,
    server,
    url,
    browser,
    api,
    close: async () => {
      await browser.close();
      server.child.kill('SIGTERM');
      await server.exited;
      await broker.stop();
    },
  };
}

export type Api = <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;

/** The HTTP API of the lab at `url`; a non-2xx answer throws with its body. */
export function apiOf(url: string): Api {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
}

export interface Row {
  measure: string;
  lab: string;
  baseline: string;
  ratio: string;
  note?: string;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}
