import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The Temporal native bridge is not happy in worker threads.
    pool: 'forks',
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.data/**', '.tools/**', 'console/**'],
    globalSetup: ['test/setup/global.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll gives up after 1 s by default: on two loaded cores a page reload or a re-render can
    // take longer than that without anything being wrong. A poll still ends at its first match.
    expect: { poll: { timeout: 10_000 } },
    fileParallelism: true,
    maxWorkers: 2,
    // The fake providers listen on 127.0.0.1: the operator allow-list lets the platform reach that
    // one address (every other internal address stays refused, as by default).
    env: { OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1' },
  },
});
