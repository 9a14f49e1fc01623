// Newman pins the postman-runtime it runs collections with; Postman and a newer Newman run a newer
// one. The committed dist/ collections are run here on the postman-runtime declared as this
// project's own devDependency (the newest release when it was added; npm keeps Newman's pinned
// copy under newman/), straight through its Runner, against the embedded token server on
// 127.0.0.1: every check passes, one token call per variant, no request refused.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { collectionFileName, environmentFileName } from '../../src/targets/output-files.js';
import type { EnvironmentJson } from '../../src/targets/postman/generate-environment.js';
import { withValues } from '../../src/values/environment-fill.js';
import { localSetup, usesClientCertificate } from '../../src/verify/local-credentials.js';
import { ROOT } from '../support/run-cli.js';
import { seedVariants } from '../support/run-collection.js';
import { loadValidSpec, seedSpecFiles } from '../support/specs.js';

const requireHere = createRequire(join(ROOT, 'package.json'));
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  devDependencies?: Record<string, string>;
};
const declared = manifest.devDependencies?.['postman-runtime'];
const version = (name: string, from: NodeJS.Require) =>
  (JSON.parse(readFileSync(from.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
const pinnedByNewman = version('postman-runtime', createRequire(requireHere.resolve('newman')));

interface RuntimeRun {
  failures: string[];
  assertions: number;
  environment: Record<string, string>;
}

/** Runs a collection with postman-runtime's Runner, as Newman does, with the runtime's own SDK. */
function runOnRuntime(collection: unknown, environment: EnvironmentJson): Promise<RuntimeRun> {
  const runtime = requireHere('postman-runtime');
  const sdk = createRequire(requireHere.resolve('postman-runtime'))('postman-collection');
  const scope = new sdk.VariableScope(environment);
  const failures: string[] = [];
  let assertions = 0;
  return new Promise((resolve, reject) => {
    new runtime.Runner().run(
      new sdk.Collection(collection),
      { environment: scope, globals: new sdk.VariableScope(), timeout: { request: 10_000 } },
      (error: Error | null, run: { start(callbacks: Record<string, unknown>): void }) => {
        if (error) return reject(error);
        run.start({
          assertion(_cursor: unknown, results: Array<{ name: string; passed?: boolean; error?: Error }>) {
            for (const result of results) {
              assertions += 1;
              if (result.passed === false || result.error)
                failures.push(`${result.name}: ${result.error?.message ?? 'failed'}`);
            }
          },
          exception(_cursor: unknown, exception: Error) {
            failures.push(`script error: ${exception.message}`);
          },
          request(requestError: Error | null) {
            if (requestError) failures.push(`request error: ${requestError.message}`);
          },
          done(doneError: Error | null) {
            if (doneError) return reject(doneError);
            resolve({ failures, assertions, environment: scope.toObject() });
          },
        });
      },
    );
  });
}

// Mutual-TLS variants need the runner's client certificate options, which these runs do not
// pass; test/e2e/mutual-tls-faults.test.ts and test/cli/verify-mtls.test.ts run them.
const variants = (await seedVariants(seedSpecFiles, loadValidSpec)).filter(
  ({ variant }) => !usesClientCertificate(variant),
);
let server: TokenServer;
beforeAll(async () => {
  server = await startTokenServer();
});
afterAll(async () => {
  await server.close();
});

// Undeclared, `postman-runtime` would resolve to Newman's own copy and the runs below prove nothing new.
test('postman-runtime is a devDependency of its own, newer than the one Newman pins', () => {
  expect(declared, 'package.json declares postman-runtime in devDependencies').toBeDefined();
  const resolved = version('postman-runtime', requireHere);
  expect(resolved).toBe((declared ?? '').replace(/^[~^]/, ''));
  expect(resolved).not.toBe(pinnedByNewman);
});

describe.each(variants)(
  `the committed collection on the declared postman-runtime: $label`,
  ({ spec, variant }) => {
    test('every check passes with one token call, Get token request included', async () => {
      const dist = join(ROOT, 'dist');
      const collection = JSON.parse(readFileSync(join(dist, collectionFileName(spec)), 'utf8'));
      const environment = JSON.parse(
        readFileSync(join(dist, environmentFileName(spec, variant)), 'utf8'),
      ) as EnvironmentJson;
      const setup = localSetup(spec, variant, server.url, 'newest-runtime');
      server.register(setup.client);
      const before = server.stats(setup.client.clientId);
      const run = await runOnRuntime(collection, withValues(environment, setup.values));
      const after = server.stats(setup.client.clientId);
      expect(run.failures).toEqual([]);
      expect(run.assertions).toBeGreaterThan(0);
      // The visible Get token request is one call; the example requests reuse the token it stored.
      expect(after.tokenCalls - before.tokenCalls).toBe(1);
      expect(after.apiCalls - before.apiCalls).toBeGreaterThan(0);
      expect(after.rejectedApiCalls - before.rejectedApiCalls).toBe(0);
      expect(run.environment.Token).toMatch(/^eyJ/);
    });
  },
);
