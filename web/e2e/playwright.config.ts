import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './chromium';

/** The lab under test: the built server, its own local Kafka, a data dir of its own. */
const PORT = Number(process.env.E2E_PORT ?? 4317);
export const baseURL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: '.',
  outputDir: 'artifacts/results',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // The lab walks (each in a workspace of its own) run two at a time, after every other spec has run one at a
  // time: those share the default workspace, and the classroom spec timed out when walks ran beside it.
  workers: 2,
  projects: [
    { name: 'app', testIgnore: 'lab-guide.spec.ts', fullyParallel: false, workers: 1 },
    { name: 'walks', testMatch: 'lab-guide.spec.ts', fullyParallel: true, workers: 2, dependencies: ['app'] },
  ],
  reporter: [['list']],
  use: {
    baseURL,
    viewport: { width: 1280, height: 720 },
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: 'node ../../server/dist/main.js',
    url: `${baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      PORT: String(PORT),
      LAB_DATA_DIR: mkdtempSync(join(tmpdir(), 'lab-e2e-')),
      KAFKA_PORT: '39092',
    },
  },
});
