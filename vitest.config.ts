import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The CLI tests run build/ (bin/tokenman.js): compiled once, incrementally, before any file runs.
    globalSetup: ['test/support/compile-once.ts'],
    // Most end-to-end files wait on Newman, `bru run`, the CLI or a server on 127.0.0.1 rather than
    // on the CPU, so one more file runs than there are cores (vitest's default is one fewer, which on
    // a two-core machine runs the files one at a time). Child processes, not threads: some tests set
    // the umask, which a worker thread cannot.
    pool: 'forks',
    maxWorkers: availableParallelism() + 1,
    // Test files share each worker's loaded modules (src/, Newman) instead of loading them again
    // for every file, which halves the CPU time of the unit files; no test file replaces a module or
    // leaves global state behind (docs/testing.md).
    isolate: false,
    // Workers are kept for the whole run: with shared modules, retiring an idle one could end a
    // file it had just been given ("Terminating worker thread").
    minWorkers: availableParallelism() + 1,
    // End-to-end tests start real Newman runs against servers on 127.0.0.1, and a case of 30 runs in
    // one CLI process shares the machine with the other files and with whoever else uses it: the
    // timeouts catch a hang, not a slow machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Large builds keep a record of what they wrote in the user's cache folder; the tests' builds
    // keep theirs in a folder of the tests' own.
    env: { XDG_CACHE_HOME: join(tmpdir(), 'tokenman-test-cache') },
  },
});
