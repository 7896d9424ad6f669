import { defineConfig } from 'vitest/config';

// Each test file drives real Chromium: one file per core keeps timing-sensitive waits honest on a 2-core machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ['test/globalSetup.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
  },
});
