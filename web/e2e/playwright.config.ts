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
  // The lab walks (each in a workspace of its own) run two at a time beside the other specs, which run one at
  // a time (they share the default workspace). The classroom spec (a server, three attendees and a dashboard
  // of its own) timed out when walks ran beside it, so it runs last, alone (docs/design/suite-speed.md).
  workers: 3,
  projects: [
    { name: 'app', testIgnore: ['lab-guide.spec.ts', 'classroom.spec.ts'], fullyParallel: false, workers: 1 },
    { name: 'walks', testMatch: 'lab-guide.spec.ts', fullyParallel: true, workers: 2 },
    { name: 'classroom', testMatch: 'classroom.spec.ts', workers: 1, dependencies: ['app', 'walks'] },
  ],
  reporter: [['list']],
  use: {
    baseURL,
    viewport: { width: 1280, height: 720 },
    // The moving dots stand still (a setting the app honours; they are still created, then paused): three
    // pages compositing them in software on two cores slowed every spec beside them (the classroom spec took
    // 2.3 min with them moving, 1.4 min without). run-and-break.spec.ts keeps them moving and checks they do.
    reducedMotion: 'reduce',
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
