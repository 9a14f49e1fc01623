// npm run test:quick: the inner loop, under a minute on a two-core machine. A few files for each stage
// of the pipeline and exactly one real end-to-end run per client (one Newman run, one `bru run`);
// `npm test` runs these and every other file. A file listed here that does not exist fails the run.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import base from '../vitest.config.js';

const QUICK_FILES: Record<string, string[]> = {
  spec: [
    'test/spec/spec-schema.test.ts',
    'test/spec/invalid-specs.test.ts',
    'test/spec/warning-specs.test.ts',
    'test/spec/format-problem.test.ts',
    'test/spec/secrets-in-specs.test.ts',
  ],
  plan: [
    'test/plan/token-plan-credentials.test.ts',
    'test/plan/token-plan-discovery.test.ts',
    'test/plan/request-plan.test.ts',
    'test/plan/pre-steps-of.test.ts',
  ],
  sandbox: ['test/sandbox/sandbox-helpers.test.ts', 'test/sandbox/bruno-runtime.test.ts'],
  targets: [
    // Also the pipeline's in-memory build of every seed spec, and dist/ being what it builds to.
    'test/targets/generated-artifacts.test.ts',
    'test/targets/postman/golden.test.ts',
    'test/targets/bruno/bruno-collection.test.ts',
  ],
  emit: ['test/emit/write-private-file.test.ts'],
  values: ['test/values/credential-values.test.ts'],
  server: ['test/server/rfc6749.test.ts', 'test/server/xsuaa.test.ts', 'test/server/server.test.ts'],
  verify: ['test/verify/redact.test.ts', 'test/verify/run-pool.test.ts', 'test/verify/select-shard.test.ts'],
  init: ['test/init/parse-pasted-command.test.ts', 'test/init/infer-spec.test.ts'],
  // The compiled CLI: build and its --check (the pipeline and emit on disk), then one Newman run and
  // one `bru run` through tokenman verify --local.
  cli: ['test/cli/build.test.ts', 'test/cli/verify-variant.test.ts', 'test/cli/verify-bruno-reports.test.ts'],
};

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const include = Object.values(QUICK_FILES).flat();
const missing = include.filter((file) => !existsSync(`${ROOT}${file}`));
if (missing.length > 0)
  throw new Error(`test/quick.config.ts lists files that do not exist: ${missing.join(', ')}`);

export default defineConfig({
  ...base,
  test: { ...base.test, root: ROOT, include },
});
