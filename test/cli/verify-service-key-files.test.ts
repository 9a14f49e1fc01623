// What a user with an SAP x509 service key does: `tokenman verify --remote specs/sap-ai-core.yaml
// --variant x509 --credentials service-key.json --env-var DeploymentId=…`, against a server that
// answers as XSUAA's certificate endpoint does (mutual TLS, client_id in the body, the certificate
// chained to the vendor's CA). The key file is the one the vendor hands out, as downloaded and as
// the cf CLI prints it; real Newman and real `bru run` present the certificate from it. The same for
// a user with a Google service-account key file and specs/google-service-account.yaml.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { runnersOf } from '../../src/verify/runners.js';
import { googleServiceAccountKey } from '../support/google-key.js';
import { runCli } from '../support/run-cli.js';

const AI_CORE_CLIENT = 'sb-7f3e1c2a-aicore!b540|aicore!b540';
const CIS_CLIENT = 'sb-ut-cis-central!b14|cis!b14';
let vendor: TokenServer;
const work = mkdtempSync(join(tmpdir(), 'tokenman-service-keys-'));
const temp = join(work, 'tmp');
const keys: Record<string, { cert: string; key: string }> = {};

beforeAll(async () => {
  vendor = await startTokenServer({ mtls: true });
  for (const [clientId, subject] of [
    [AI_CORE_CLIENT, 'aicore tenant'],
    [CIS_CLIENT, 'cis tenant'],
  ] as const) {
    vendor.register({ clientId, grants: ['client_credentials'], certificate: { subject: `CN=${subject}` } });
    keys[clientId] = vendor.issueClientCertificate({ subject });
  }
  writeFileSync(join(work, 'vendor-ca.crt'), vendor.caCertificate ?? '');
  mkdirSync(temp);
});
afterAll(async () => {
  await vendor.close();
  rmSync(work, { recursive: true, force: true });
});

/** An SAP AI Core service key created with {"credential-type": "x509"}, fields as SAP writes them. */
function aiCoreKey(): Record<string, unknown> {
  const issued = keys[AI_CORE_CLIENT];
  return {
    appname: 'aicore!b540',
    certificate: issued?.cert,
    certurl: vendor.mtlsUrl,
    clientid: AI_CORE_CLIENT,
    'credential-type': 'x509',
    identityzone: 'acme',
    identityzoneid: '5c2e4b9a-0000-4000-8000-000000000001',
    key: issued?.key,
    serviceurls: { AI_API_URL: vendor.url },
    url: vendor.url,
  };
}

/** A Cloud Management (cis) service key with x509 credentials: the uaa block and its endpoints. */
function cisKey(): Record<string, unknown> {
  const issued = keys[CIS_CLIENT];
  return {
    endpoints: { accounts_service_url: vendor.url, entitlements_service_url: vendor.url },
    grant_type: 'client_credentials',
    sap_cloud_service: 'com.sap.core.commercial.service.central',
    uaa: {
      certificate: issued?.cert,
      certurl: vendor.mtlsUrl,
      clientid: CIS_CLIENT,
      'credential-type': 'x509',
      key: issued?.key,
      url: vendor.url,
    },
  };
}

function write(name: string, text: string): string {
  const file = join(work, name);
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

/** As a user runs it: the vendor's CA is trusted the usual Node way, TLS checks stay on. */
const env = () => ({ TMPDIR: temp, NODE_EXTRA_CA_CERTS: join(work, 'vendor-ca.crt') });

/** Text no output may hold: one line out of the middle of the private key. */
const keyLine = (clientId: string) => keys[clientId]?.key.split('\n')[2] ?? 'missing key';

test('an SAP AI Core x509 service key passes verify --remote in every client, one token call each, the key never shown', async () => {
  const file = write('service-key.json', JSON.stringify(aiCoreKey(), null, 2));
  const before = vendor.stats(AI_CORE_CLIENT);
  const result = await runCli(
    [
      'verify',
      '--remote',
      'specs/sap-ai-core.yaml',
      '--variant',
      'x509',
      '--credentials',
      file,
      '--env-var',
      'DeploymentId=d7c1a2b3',
      '--client',
      'all',
      '--reporter',
      'junit,json',
      '--reporters-dir',
      join(work, 'reports'),
    ],
    { env: env() },
  );
  expect(result.stdout).toMatch(/^PASS {2}sap-ai-core \(x509\) {2}/m);
  expect(result.stdout).toMatch(/^PASS {2}sap-ai-core \(x509\) in Bruno {2}/m);
  expect(result.code, result.stdout + result.stderr).toBe(0);
  const after = vendor.stats(AI_CORE_CLIENT);
  // One token call a run: Newman, the Postman CLI's two, bru run.
  expect(after.tokenCalls - before.tokenCalls).toBe(runnersOf('all').length);
  // The completion call reached the API with the token each runner obtained.
  expect(after.apiCalls - before.apiCalls).toBeGreaterThanOrEqual(2);
  expect(after.rejectedApiCalls - before.rejectedApiCalls).toBe(0);
  const reports = readdirSync(join(work, 'reports')).map((name) =>
    readFileSync(join(work, 'reports', name), 'utf8'),
  );
  expect(reports.length).toBeGreaterThanOrEqual(4);
  for (const text of [result.stdout, result.stderr, ...reports]) {
    expect(text).not.toContain(keyLine(AI_CORE_CLIENT));
  }
  // The certificate and key reached the runners as files, and none is left behind.
  expect(readdirSync(temp)).toEqual([]);
});

test('the same key as `cf service-key` prints it, and a Cloud Management key with its uaa block', async () => {
  const printed = write(
    'cf-output.json',
    `Getting key tokenman-key for service instance aicore as dev@acme.example...\n\n${JSON.stringify({ credentials: aiCoreKey() }, null, 2)}\n`,
  );
  const aiCore = await runCli(
    [
      'verify',
      'specs/sap-ai-core.yaml',
      '--variant',
      'x509',
      '--credentials',
      printed,
      '--env-var',
      'DeploymentId=d7c1a2b3',
    ],
    { env: env() },
  );
  expect(aiCore.stdout).toMatch(/^PASS {2}sap-ai-core \(x509\) {2}/m);
  expect(aiCore.code).toBe(0);

  const cis = await runCli(
    [
      'verify',
      'specs/sap-cloud-management.yaml',
      '--variant',
      'x509',
      '--credentials',
      write('cis-key.json', JSON.stringify(cisKey())),
    ],
    { env: env() },
  );
  expect(cis.stdout).toMatch(/^PASS {2}sap-cloud-management \(x509\) {2}/m);
  expect(cis.code, cis.stdout + cis.stderr).toBe(0);
  expect(`${cis.stdout}${cis.stderr}`).not.toContain(keyLine(CIS_CLIENT));
});

test("a key whose certificate the vendor no longer trusts fails in the vendor's words, with what to check", async () => {
  const day = 24 * 60 * 60 * 1000;
  const expired = vendor.issueClientCertificate({
    subject: 'aicore tenant',
    notBefore: new Date(Date.now() - 8 * day),
    notAfter: new Date(Date.now() - day),
  });
  const file = write(
    'expired-key.json',
    JSON.stringify({ ...aiCoreKey(), certificate: expired.cert, key: expired.key }),
  );
  const result = await runCli(
    [
      'verify',
      'specs/sap-ai-core.yaml',
      '--variant',
      'x509',
      '--credentials',
      file,
      '--env-var',
      'DeploymentId=d1',
    ],
    { env: env() },
  );
  expect(result.code).toBe(1);
  expect(result.stdout, result.stdout).toContain('the client certificate identifies the client');
  expect(result.stdout).not.toContain(expired.key.split('\n')[2] ?? 'missing key');
});

test('a Google service-account key file passes verify --remote in every client, the key never shown', async () => {
  const email = 'ci-reader@tokenman-demo-4711.iam.gserviceaccount.com';
  const key = googleServiceAccountKey(vendor, email);
  const privateKeyId = key.private_key_id;
  const result = await runCli(
    [
      'verify',
      '--remote',
      'specs/google-service-account.yaml',
      '--credentials',
      write('google-key.json', JSON.stringify(key, null, 2)),
      '--env-var',
      `ResourceManagerUrl=${vendor.url}`,
      '--client',
      'all',
    ],
    { env: env() },
  );
  expect(result.stdout).toMatch(/^PASS {2}google-service-account {2}/m);
  expect(result.stdout).toMatch(/^PASS {2}google-service-account in Bruno {2}/m);
  expect(result.code, result.stdout + result.stderr).toBe(0);
  // One signed assertion per runner, each checked against the key registered under its kid.
  expect(vendor.stats(email).tokenCalls).toBe(runnersOf('all').length);
  expect(vendor.stats(email).rejectedApiCalls).toBe(0);
  const printed = `${result.stdout}${result.stderr}`;
  expect(printed).not.toContain(key.private_key.split('\n')[2] ?? 'missing key');
  expect(printed).not.toContain(privateKeyId);
});
