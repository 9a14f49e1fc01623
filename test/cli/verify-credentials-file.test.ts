// `tokenman verify --remote --credentials <file>`: the vendor's own credentials file fills each spec's
// variables by the paths the spec declares, against a server this test starts to stand in for the
// vendor (real Newman, 127.0.0.1). No value of the file reaches the output, and no secret of it a
// report.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { googleServiceAccountKey } from '../support/google-key.js';
import { runCli } from '../support/run-cli.js';

const FIXTURES = 'test/fixtures/credentials-file';
const AI_CORE = `${FIXTURES}/sap-ai-core-key.yaml`;
const GOOGLE = `${FIXTURES}/google-key.yaml`;
// A spec that declares no credentials paths: verified beside one that does, it keeps its own sources.
const CIS = 'specs/sap-cloud-management.yaml';

const work = mkdtempSync(join(tmpdir(), 'tokenman-credentials-'));
const dist = join(work, 'dist');
let vendor: TokenServer;

const CLIENT_ID = 'sb-3f9e2a!b42|aicore!b540';
const CLIENT_SECRET = `aicore-${randomBytes(12).toString('base64url')}`;
const CIS_CLIENT_ID = 'sb-cis-7!b42|cis-central!b14';
const CIS_SECRET = `cis-${randomBytes(12).toString('base64url')}`;

/** An SAP AI Core service key as the cockpit downloads it: flat, with serviceurls. */
function aiCoreKey(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    clientid: CLIENT_ID,
    clientsecret: CLIENT_SECRET,
    url: vendor.url,
    identityzone: 'acme-dev',
    identityzoneid: '4c1d2a5e-0b7f-4e9b-9a55-7f3c2d1e0a9b',
    appname: 'a1b2c3d4!b540|aicore!b540',
    'credential-type': 'binding-secret',
    serviceurls: { AI_API_URL: vendor.url },
    ...overrides,
  };
}

function writeJson(name: string, value: unknown): string {
  const file = join(work, name);
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

/** Every string of a JSON value, for checking that none of them was printed. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}

function reportTexts(dir: string): string[] {
  return readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8'));
}

beforeAll(async () => {
  vendor = await startTokenServer();
  vendor.register({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, grants: ['client_credentials'] });
  vendor.register({ clientId: CIS_CLIENT_ID, clientSecret: CIS_SECRET, grants: ['client_credentials'] });
  const built = await runCli(['build', AI_CORE, GOOGLE, CIS, '--out', dist, '-q']);
  expect(built.stderr).toBe('');
});
afterAll(async () => {
  await vendor.close();
  rmSync(work, { recursive: true, force: true });
});

test('an SAP AI Core service key fills its spec, one beside it without paths keeps its own values, and nothing of the key is printed or reported', async () => {
  const key = aiCoreKey();
  const keyFile = writeJson('aicore-key.json', key);
  const reports = join(work, 'reports-aicore');
  const before = vendor.stats(CLIENT_ID).tokenCalls;
  const result = await runCli(
    [
      'verify',
      '--remote',
      '--dist',
      dist,
      AI_CORE,
      CIS,
      '--variant',
      'client-credentials',
      '--credentials',
      keyFile,
      '--env-var',
      'DeploymentId=d4711',
      '--reporter',
      'junit,json',
      '--reporters-dir',
      reports,
    ],
    {
      env: {
        TOKENMAN_SAP_CLOUD_MANAGEMENT_UAA_URL: vendor.url,
        TOKENMAN_SAP_CLOUD_MANAGEMENT_ACCOUNTS_SERVICE_URL: vendor.url,
        TOKENMAN_SAP_CLOUD_MANAGEMENT_CLIENT_ID: CIS_CLIENT_ID,
        TOKENMAN_SAP_CLOUD_MANAGEMENT_CLIENT_SECRET: CIS_SECRET,
      },
    },
  );
  expect(result.stderr).toBe('');
  expect(result.stdout).toMatch(/^PASS {2}sap-ai-core-key {2}/m);
  expect(result.stdout).toMatch(/^PASS {2}sap-cloud-management \(client-credentials\) {2}/m);
  expect(result.stdout).toContain('2 passed, 0 failed');
  expect(result.code).toBe(0);
  expect(vendor.stats(CLIENT_ID).tokenCalls - before).toBe(1);

  const printed = `${result.stdout}${result.stderr}`;
  for (const value of stringsOf(key)) expect(printed).not.toContain(value);
  const texts = reportTexts(reports);
  expect(texts).toHaveLength(4);
  // The request bodies are in the json reports, so the secret was sent: redacted there.
  expect(texts.join('\n')).toContain('client_secret');
  for (const text of texts) {
    expect(text).not.toContain(CLIENT_SECRET);
    expect(text).not.toContain(CIS_SECRET);
  }
});

test('precedence: the file over -e, TOKENMAN_* and --env-var over the file', async () => {
  // Each value the run needs is wrong in the source it must win over.
  const keyFile = writeJson(
    'aicore-key-stale.json',
    aiCoreKey({ clientsecret: 'rotated-away-secret', serviceurls: { AI_API_URL: 'http://127.0.0.1:9' } }),
  );
  const environment = writeJson('tenant.postman_environment.json', {
    name: 'tenant',
    values: [
      { key: 'AuthUrl', value: 'http://127.0.0.1:9', enabled: true },
      { key: 'DeploymentId', value: 'd4711', enabled: true },
    ],
  });
  const result = await runCli(
    [
      'verify',
      '--dist',
      dist,
      AI_CORE,
      '-e',
      environment,
      '--credentials',
      keyFile,
      '--env-var',
      `ClientSecret=${CLIENT_SECRET}`,
    ],
    { env: { TOKENMAN_SAP_AI_CORE_KEY_AI_API_URL: vendor.url } },
  );
  expect(result.stdout).toMatch(/^PASS {2}sap-ai-core-key {2}/m);
  expect(result.code).toBe(0);
  expect(`${result.stdout}${result.stderr}`).not.toMatch(/rotated-away-secret|aicore-/);
});

test('a Google service-account key file signs the JWT-bearer grant with its own key, kid and issuer', async () => {
  const email = 'verify-bot@tokenman-test-4711.iam.gserviceaccount.com';
  const key = googleServiceAccountKey(vendor, email);
  const privateKeyId = key.private_key_id;
  const keyFile = writeJson('google-key.json', key);
  const reports = join(work, 'reports-google');
  const result = await runCli([
    'verify',
    '--remote',
    '--dist',
    dist,
    GOOGLE,
    '--credentials',
    keyFile,
    '--env-var',
    `ResourceManagerUrl=${vendor.url}`,
    '--reporter',
    'junit,json',
    '--reporters-dir',
    reports,
  ]);
  expect(result.stderr).toBe('');
  expect(result.stdout).toMatch(/^PASS {2}google-key {2}/m);
  expect(result.code).toBe(0);
  expect(vendor.stats(email).tokenCalls).toBe(1);

  const printed = `${result.stdout}${result.stderr}`;
  for (const value of stringsOf(key)) expect(printed).not.toContain(value);
  const pemBody = /PRIVATE KEY-----(?:\\[rn]|\s)*MI[A-Za-z0-9+/]{8}/;
  const body = key.private_key.split('\n')[1] ?? '';
  for (const text of reportTexts(reports)) {
    expect(text).not.toMatch(pemBody);
    expect(text).not.toContain(body);
    expect(text).not.toContain(privateKeyId);
  }
});
