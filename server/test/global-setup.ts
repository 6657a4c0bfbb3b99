import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { defaults } from '../src/config.js';
import { LocalBroker } from '../src/kafka/broker.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
  }
}

/**
 * Starts the real broker the integration tests share (or uses KAFKA_BROKERS when set), and stops it after.
 * Runs in vitest's main process, whose main thread lives for the whole run: the JVM's parent-death signal
 * then fires only when the test run itself ends.
 */
export default async function setup(project: TestProject) {
  if (process.env.KAFKA_BROKERS) {
    project.provide('kafkaBrokers', process.env.KAFKA_BROKERS);
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'lab-it-kafka-'));
  const broker = await LocalBroker.start({
    dataDir,
    cacheDir: process.env.KAFKA_CACHE_DIR || defaults().KAFKA_CACHE_DIR,
    port: 19092,
    heap: '512m',
    say: (line) => console.log(`[test broker] ${line}`),
  });
  project.provide('kafkaBrokers', broker.bootstrap);
  return async () => {
    await broker.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
