import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests start real Newman runs against servers on 127.0.0.1; a slow shared machine
    // needs more than the default 5 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
