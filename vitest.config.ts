import { defineConfig } from 'vitest/config';

/**
 * Files that measure something physical through real media: they run after every other file, one at
 * a time, on a machine with nothing else running. Under the suite's load Chromium's fake capture of
 * spoken audio reached the recognizer as other words.
 */
const QUIET = ['test/voice-speech/widget-voice-browser.test.ts'];

export default defineConfig({
  test: {
    // The Temporal native bridge is not happy in worker threads.
    pool: 'forks',
    exclude: ['node_modules/**', '.data/**', '.tools/**', 'console/**'],
    globalSetup: ['test/setup/global.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll gives up after 1 s by default: on two loaded cores a page reload or a re-render can
    // take longer than that without anything being wrong. A poll still ends at its first match.
    expect: { poll: { timeout: 10_000 } },
    maxWorkers: 2,
    // The fake providers listen on 127.0.0.1: the operator allow-list lets the platform reach that
    // one address (every other internal address stays refused, as by default).
    env: { OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1' },
    projects: [
      { extends: true, test: { name: 'suite', include: ['**/*.test.ts'], exclude: QUIET, fileParallelism: true, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'quiet', include: QUIET, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
