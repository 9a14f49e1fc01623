import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ROOT, runCli } from '../support/run-cli.js';

// verify runs what is in dist/; a spec changed since the last build would run an old collection
// with credentials worked out from the new spec. verify refuses instead, and says what to run.

const work = mkdtempSync(join(tmpdir(), 'tokenman-stale-'));
beforeAll(() => {
  cpSync(join(ROOT, 'specs'), join(work, 'specs'), { recursive: true });
  cpSync(join(ROOT, 'dist'), join(work, 'dist'), { recursive: true });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

test('verify refuses a dist/ older than the specs, naming the stale files and tokenman build; after a build it runs', async () => {
  const spec = join(work, 'specs', 'sap-ai-core.yaml');
  writeFileSync(spec, readFileSync(spec, 'utf8').replace('default: default', 'default: staging'));
  rmSync(join(work, 'dist', 'biotz.postman_collection.json'));
  writeFileSync(join(work, 'dist', 'biotz.postman_collection.json'), '{"info": {"name": "hand-edited"}}\n');

  const stale = await runCli(['verify', '--local'], { cwd: work });
  expect(stale.code).toBe(1);
  expect(stale.stderr).toBe(
    'dist: error: dist does not hold what the specs build to: dist/biotz.postman_collection.json (changed), dist/bruno/sap-ai-core/environments/client-secret.yml (changed), dist/bruno/sap-ai-core/environments/x509.yml (changed), dist/postman/environments/sap-ai-core.client-secret.environment.yaml (changed), dist/postman/environments/sap-ai-core.x509.environment.yaml (changed) and 2 more; run tokenman build first, so verify runs what the specs say\n',
  );
  expect(stale.stdout).not.toContain('PASS');

  // Only the specs given are compared: another spec's stale files do not stop its run.
  const other = await runCli(['verify', '--local', 'specs/uipath-orchestrator.yaml'], { cwd: work });
  expect(other.code, other.stderr).toBe(0);

  expect((await runCli(['build', '-q'], { cwd: work })).code).toBe(0);
  const fresh = await runCli(['verify', '--local', 'specs/sap-ai-core.yaml', 'specs/biotz.yaml'], {
    cwd: work,
  });
  expect(fresh.code, fresh.stderr).toBe(0);
  expect(fresh.stdout).toContain('PASS  sap-ai-core (x509)');
});
