// TOKENMAN_* names that two specs would both read: `verify` refuses before anything is sent, and a
// spec's own scoped name is never read as another spec's. Also: `build` goes on with warnings.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { type EchoServer, startEchoServer } from '../support/echo-server.js';
import { runCli } from '../support/run-cli.js';

const AI_CORE_SECRET = 'ai-core-secret-5d1f0c';
const work = mkdtempSync(join(tmpdir(), 'tokenman-env-names-'));
const specs = join(work, 'specs');
const dist = join(work, 'dist');
let vendor: EchoServer;

/** A client credentials spec whose client secret is the variable `secretVariable`. */
function spec(name: string, secretVariable: string): string {
  return `name: ${name}
variables:
  AuthUrl: {}
  ClientId: {}
  ${secretVariable}: { secret: true }
token:
  url: "{{AuthUrl}}/oauth/token"
  grant: client_credentials
  clientAuth: body
  clientId: "{{ClientId}}"
  clientSecret: "{{${secretVariable}}}"
`;
}

beforeAll(async () => {
  vendor = await startEchoServer(() =>
    JSON.stringify({ access_token: 'opaque-token-1', token_type: 'bearer', expires_in: 300 }),
  );
  mkdirSync(specs);
  // Spec `sap` with AiCoreClientSecret and spec `sap-ai-core` with ClientSecret: both read
  // TOKENMAN_SAP_AI_CORE_CLIENT_SECRET.
  writeFileSync(join(specs, 'sap.yaml'), spec('SAP BTP', 'AiCoreClientSecret'));
  writeFileSync(join(specs, 'sap-ai-core.yaml'), spec('SAP AI Core', 'ClientSecret'));
  const built = await runCli(['build', '--specs', specs, '--out', dist, '-q']);
  expect(built.stderr).toBe('');
  expect(built.code).toBe(0);
});
beforeEach(() => {
  vendor.received.length = 0;
});
afterAll(async () => {
  await vendor.close();
  rmSync(work, { recursive: true, force: true });
});

const env = () => ({
  TOKENMAN_AUTH_URL: vendor.url, // shared by both specs, by design
  TOKENMAN_CLIENT_ID: 'my-app',
  TOKENMAN_SAP_AI_CORE_CLIENT_SECRET: AI_CORE_SECRET,
});

test('a TOKENMAN_ name two specs would read is refused, naming both, and nothing is sent', async () => {
  const result = await runCli(['verify', '--specs', specs, '--dist', dist], { env: env() });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(
    `TOKENMAN_SAP_AI_CORE_CLIENT_SECRET is set, and both variable "ClientSecret" of ${join(specs, 'sap-ai-core.yaml')} and variable "AiCoreClientSecret" of ${join(specs, 'sap.yaml')} read it; tokenman will not guess which one it is for, so nothing was sent`,
  );
  // The shared TOKENMAN_AUTH_URL and TOKENMAN_CLIENT_ID are not the problem.
  expect(result.stderr.match(/: error: /g)).toHaveLength(1);
  expect(result.stdout).not.toMatch(/PASS|FAIL/);
  expect(vendor.received).toEqual([]);
  expect(`${result.stdout}${result.stderr}`).not.toContain(AI_CORE_SECRET);
});

test('each spec verified alone reads the name as its own, and only its own', async () => {
  const alone = await runCli(['verify', join(specs, 'sap-ai-core.yaml'), '--specs', specs, '--dist', dist], {
    env: env(),
  });
  expect(alone.stdout).toMatch(/^PASS {2}sap-ai-core {2}/m);
  expect(alone.code).toBe(0);
  const sent = vendor.received.map((r) => new URLSearchParams(r.body.toString()).get('client_secret'));
  expect(sent.length).toBeGreaterThan(0);
  expect(new Set(sent)).toEqual(new Set([AI_CORE_SECRET]));
});

test("the way out: each variable's unambiguous name, and both specs verify with their own secret", async () => {
  const result = await runCli(['verify', '--specs', specs, '--dist', dist], {
    env: {
      TOKENMAN_AUTH_URL: vendor.url,
      TOKENMAN_CLIENT_ID: 'my-app',
      TOKENMAN_CLIENT_SECRET: AI_CORE_SECRET, // ClientSecret of sap-ai-core, shared name
      TOKENMAN_AI_CORE_CLIENT_SECRET: 'btp-secret-88e2', // AiCoreClientSecret of sap, shared name
    },
  });
  expect(result.stdout).toContain('2 passed, 0 failed');
  expect(result.code).toBe(0);
  const sent = vendor.received.map((r) => new URLSearchParams(r.body.toString()).get('client_secret'));
  expect(new Set(sent)).toEqual(new Set([AI_CORE_SECRET, 'btp-secret-88e2']));
});

test('build and validate go on with a warning: exit 0, the warning at method: GET, the files written', async () => {
  const getSpecs = join(work, 'get-specs');
  const out = join(work, 'get-dist');
  mkdirSync(getSpecs);
  writeFileSync(
    join(getSpecs, 'xsuaa.yaml'),
    spec('XSUAA', 'ClientSecret').replace(
      '  grant: client_credentials',
      '  method: GET\n  grant: client_credentials',
    ),
  );
  const built = await runCli(['build', '--specs', getSpecs, '--out', out]);
  expect(built.code).toBe(0);
  expect(built.stderr).toContain(
    `${join(getSpecs, 'xsuaa.yaml')}:8:3: warning: the token request sends client_secret in the URL query (method GET)`,
  );
  expect(readdirSync(out)).toContain('xsuaa.postman_collection.json');
  const validated = await runCli(['validate', '--specs', getSpecs]);
  expect(validated.code).toBe(0);
  expect(validated.stderr).toContain(': warning: the token request sends client_secret in the URL query');
});
