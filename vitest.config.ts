import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['model/src/**/*.test.ts', 'server/src/**/*.test.ts', 'web/src/**/*.test.ts', 'test/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['server/test/**/*.test.ts'],
          // One real broker for the whole run, shared by every file; each test names its own topics.
          globalSetup: ['server/test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One file at a time: the broker's JVM needs a core, and the heavy files (the chaos soak, the labs,
          // the three-broker cluster) made each other time out when they ran side by side on two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
