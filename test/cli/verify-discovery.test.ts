// tokenman verify --local on a spec that names the issuer's discovery document instead of the token
// URL: the variable the document's address starts with is pointed at the embedded server, which
// serves a Keycloak realm's document, and each variant gets its token from the endpoint it names
// (a signed assertion's aud included, which the server checks).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { runCli } from '../support/run-cli.js';

const spec = 'test/fixtures/valid/discovery/keycloak-discovery.yaml';
const work = mkdtempSync(join(tmpdir(), 'tokenman-discovery-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

test('a discovery spec passes verify --local, one token call per variant', async () => {
  const dist = join(work, 'dist');
  expect((await runCli(['build', spec, '--out', dist, '-q'])).code).toBe(0);
  const result = await runCli(['verify', '--local', '--dist', dist, spec]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^PASS {2}keycloak-discovery \(client-secret\) .*1 token call\(s\)/m);
  expect(result.stdout).toMatch(/^PASS {2}keycloak-discovery \(private-key-jwt\) .*1 token call\(s\)/m);
  expect(result.stdout).toContain('2 passed, 0 failed');
});
