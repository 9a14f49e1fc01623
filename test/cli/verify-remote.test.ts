// `verify --remote` with a user's own values, against a server this test starts to stand in for
// the vendor: values from TOKENMAN_* variables, from a Postman environment file, and --env-var.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { runCli } from '../support/run-cli.js';

const SECRET = 'tenant-secret-0f3a9b7c';
let vendor: TokenServer;
const work = mkdtempSync(join(tmpdir(), 'tokenman-remote-'));

beforeAll(async () => {
  vendor = await startTokenServer();
  vendor.register({ clientId: 'sb-tenant!b42|cis!b7', clientSecret: SECRET, grants: ['client_credentials'] });
  vendor.register({
    clientId: 'sb-tenant!b42|cis!b7',
    clientSecret: SECRET,
    grants: ['password'],
    users: [{ username: 'ada@example.com', password: 'pw-9c1e' }],
  });
});
afterAll(async () => {
  await vendor.close();
  rmSync(work, { recursive: true, force: true });
});

test('TOKENMAN_<SPEC>_<VARIABLE> process variables fill the environment, and no secret is printed', async () => {
  const result = await runCli(['verify', 'specs/sap-ai-core.yaml', '--variant', 'client-secret'], {
    env: {
      TOKENMAN_SAP_AI_CORE_AI_API_URL: vendor.url,
      TOKENMAN_SAP_AI_CORE_DEPLOYMENT_ID: 'd123',
      TOKENMAN_AUTH_URL: vendor.url,
      TOKENMAN_SAP_AI_CORE_CLIENT_ID: 'sb-tenant!b42|cis!b7',
      TOKENMAN_SAP_AI_CORE_CLIENT_SECRET: SECRET,
    },
  });
  expect(result.stdout).toMatch(/^PASS {2}sap-ai-core \(client-secret\) {2}/m);
  expect(result.stdout).not.toContain('embedded token server');
  expect(result.code).toBe(0);
  expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET);
});

test('-e FILE gives the values, --env-var wins over it, --variant picks the one the tenant uses', async () => {
  const environment = join(work, 'tenant.postman_environment.json');
  const value = (key: string, v: string) => ({ key, value: v, enabled: true });
  writeFileSync(
    environment,
    JSON.stringify({
      name: 'my tenant',
      values: [
        value('UaaUrl', vendor.url),
        value('AccountsServiceUrl', vendor.url),
        value('ClientId', 'sb-tenant!b42|cis!b7'),
        value('ClientSecret', 'stale-secret'),
        value('Username', 'ada@example.com'),
        value('Password', 'pw-9c1e'),
      ],
    }),
  );
  const result = await runCli([
    'verify',
    'specs/sap-cloud-management.yaml',
    '-e',
    environment,
    '--env-var',
    `ClientSecret=${SECRET}`,
    '--variant',
    'password',
  ]);
  expect(result.stdout).toMatch(/^PASS {2}sap-cloud-management \(password\)/m);
  expect(result.stdout).toContain('1 passed, 0 failed');
  expect(result.code).toBe(0);
  expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET);
});
