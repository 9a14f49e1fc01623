import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests start real Newman runs against servers on 127.0.0.1; a slow shared machine
    // needs more than the default 5 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Large builds keep a record of what they wrote in the user's cache folder; the tests' builds
    // keep theirs in a folder of the tests' own.
    env: { XDG_CACHE_HOME: join(tmpdir(), 'tokenman-test-cache') },
  },
});
