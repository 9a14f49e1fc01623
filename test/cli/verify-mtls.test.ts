// `tokenman verify` of a mutual-TLS variant (specs/sap-ai-core.yaml x509): locally against the
// embedded server's mTLS listener, and against a server this test starts to stand in for the
// vendor, with the user's certificate and key given as TOKENMAN_* variables. Real Newman and real
// `bru run` present the certificate; tokenman hands it to them as files it removes afterwards.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { runnersOf } from '../../src/verify/runners.js';
import { ROOT, runCli } from '../support/run-cli.js';
import { startVendorServer } from '../support/vendor-server.js';

const CLIENT = 'sb-x509-tenant!t4711';
let vendor: TokenServer;
let issued: { cert: string; key: string };
const work = mkdtempSync(join(tmpdir(), 'tokenman-verify-mtls-'));
/** The runs' temporary folder: whatever tokenman leaves in it is a leak. */
const temp = join(work, 'tmp');

beforeAll(async () => {
  vendor = await startTokenServer({ mtls: true });
  vendor.register({
    clientId: CLIENT,
    grants: ['client_credentials'],
    certificate: { subject: 'CN=tenant' },
  });
  issued = vendor.issueClientCertificate({ subject: 'tenant' });
  writeFileSync(join(work, 'vendor-ca.crt'), vendor.caCertificate ?? '');
  mkdirSync(temp);
});
afterAll(async () => {
  await vendor.close();
  rmSync(work, { recursive: true, force: true });
});

function leftovers(): string[] {
  return readdirSync(temp).filter((name) => name.startsWith('tokenman-tls-'));
}

/** The user's values for the x509 variant, as a CI job would set them. */
function tenantEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    TMPDIR: temp,
    // The stand-in vendor's CA, trusted the way a user trusts a corporate one: TLS checks stay on.
    NODE_EXTRA_CA_CERTS: join(work, 'vendor-ca.crt'),
    TOKENMAN_SAP_AI_CORE_CERT_URL: vendor.mtlsUrl ?? '',
    TOKENMAN_SAP_AI_CORE_CLIENT_ID: CLIENT,
    TOKENMAN_SAP_AI_CORE_AI_API_URL: vendor.url,
    TOKENMAN_SAP_AI_CORE_DEPLOYMENT_ID: 'd123',
    TOKENMAN_SAP_AI_CORE_CERTIFICATE: issued.cert,
    TOKENMAN_SAP_AI_CORE_PRIVATE_KEY: issued.key,
    ...overrides,
  };
}

const keyLine = () => issued.key.split('\n')[1] ?? '';

test('--local: the x509 variant gets its token over mutual TLS in Newman, the Postman CLI and bru run, one call each', async () => {
  const result = await runCli(
    ['verify', '--local', 'specs/sap-ai-core.yaml', '--variant', 'x509', '--client', 'all'],
    { env: { TMPDIR: temp } },
  );
  expect(result.stderr).toBe('');
  expect(result.stdout).toMatch(
    /^PASS {2}sap-ai-core \(x509\) {2}5 assertions, 2 requests, 1 token call\(s\)/m,
  );
  for (const client of ['Postman CLI', 'Postman CLI \\(v3\\)', 'Bruno'])
    expect(result.stdout).toMatch(
      new RegExp(
        `^PASS {2}sap-ai-core \\(x509\\) in ${client} {2}5 assertions, 2 requests, 1 token call\\(s\\)`,
        'm',
      ),
    );
  expect(result.code).toBe(0);
  expect(leftovers()).toEqual([]);
});

test('a vendor: the certificate and key from TOKENMAN_* variables are presented, and the key is never printed', async () => {
  const before = vendor.stats(CLIENT).tokenCalls;
  const result = await runCli(['verify', 'specs/sap-ai-core.yaml', '--variant', 'x509', '--client', 'all'], {
    env: tenantEnv(),
  });
  expect(result.stdout).toMatch(/^PASS {2}sap-ai-core \(x509\) {2}/m);
  expect(result.stdout).toMatch(/^PASS {2}sap-ai-core \(x509\) in Bruno {2}/m);
  expect(result.code).toBe(0);
  // One token call a run: Newman, the Postman CLI's two, bru run.
  expect(vendor.stats(CLIENT).tokenCalls - before).toBe(runnersOf('all').length);
  expect(`${result.stdout}${result.stderr}`).not.toContain(keyLine());
  expect(leftovers()).toEqual([]);
});

test('a service key pasted as JSON text (\\n for each line break) is read as PEM', async () => {
  const escaped = (pem: string) => pem.trim().split('\n').join('\\n');
  const result = await runCli(['verify', 'specs/sap-ai-core.yaml', '--variant', 'x509'], {
    env: tenantEnv({
      TOKENMAN_SAP_AI_CORE_CERTIFICATE: escaped(issued.cert),
      TOKENMAN_SAP_AI_CORE_PRIVATE_KEY: escaped(issued.key),
    }),
  });
  expect(result.stdout).toMatch(/^PASS {2}sap-ai-core \(x509\) {2}/m);
  expect(result.code).toBe(0);
});

test('no key: the run fails before anything is sent, naming the variable and where to set it', async () => {
  const before = vendor.stats(CLIENT).tokenCalls;
  const result = await runCli(['verify', 'specs/sap-ai-core.yaml', '--variant', 'x509', '--client', 'all'], {
    env: tenantEnv({ TOKENMAN_SAP_AI_CORE_PRIVATE_KEY: '' }),
  });
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/^FAIL {2}sap-ai-core \(x509\) in Bruno {2}variant "x509"/m);
  expect(result.stdout).toContain(
    'FAIL  sap-ai-core (x509)  variant "x509" of specs/sap-ai-core.yaml uses mutual TLS, but PrivateKey (its PEM private key) has no value, so nothing was sent: set it in the environment file (-e), with --env-var PrivateKey=… or in TOKENMAN_SAP_AI_CORE_PRIVATE_KEY',
  );
  expect(vendor.stats(CLIENT).tokenCalls).toBe(before);
});

test("a key that is not PEM, or not the certificate's: one sentence each, never the value", async () => {
  const notPem = 'not-a-key-5c2e9a';
  const garbled = await runCli(['verify', 'specs/sap-ai-core.yaml', '--variant', 'x509'], {
    env: tenantEnv({ TOKENMAN_SAP_AI_CORE_PRIVATE_KEY: notPem }),
  });
  expect(garbled.code).toBe(1);
  expect(garbled.stdout).toContain(
    'PrivateKey of variant "x509" of specs/sap-ai-core.yaml is not a PEM private key: it must start with -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY----- (the key field of the service key)',
  );
  expect(`${garbled.stdout}${garbled.stderr}`).not.toContain(notPem);

  const other = vendor.issueClientCertificate({ subject: 'someone else' });
  const mismatched = await runCli(['verify', 'specs/sap-ai-core.yaml', '--variant', 'x509'], {
    env: tenantEnv({ TOKENMAN_SAP_AI_CORE_PRIVATE_KEY: other.key }),
  });
  expect(mismatched.code).toBe(1);
  expect(mismatched.stdout).toContain(
    'PrivateKey of variant "x509" of specs/sap-ai-core.yaml is not the private key of the certificate in Certificate: take both from the same service key',
  );
  expect(`${mismatched.stdout}${mismatched.stderr}`).not.toContain(other.key.split('\n')[1] ?? '');

  const certificate = await runCli(['verify', 'specs/sap-ai-core.yaml', '--variant', 'x509'], {
    env: tenantEnv({ TOKENMAN_SAP_AI_CORE_CERTIFICATE: 'MIIB-not-a-certificate' }),
  });
  expect(certificate.stdout).toContain(
    'Certificate of variant "x509" of specs/sap-ai-core.yaml is not a PEM certificate: it must start with -----BEGIN CERTIFICATE----- (the certificate field of the service key)',
  );
  expect(certificate.stdout).not.toContain('MIIB-not-a-certificate');
});

test('SIGTERM while the API call hangs: the certificate files existed for the run and are gone after it', async () => {
  // The token comes over mutual TLS; the example request then waits on an API that never answers.
  const hanging = await startVendorServer(() => undefined);
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'tokenman.js'), 'verify', 'specs/sap-ai-core.yaml', '--variant', 'x509'],
    {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...tenantEnv({ TOKENMAN_SAP_AI_CORE_AI_API_URL: hanging.url }) },
      stdio: 'ignore',
    },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 20_000;
    while (hanging.paths.length === 0 && Date.now() < deadline) await delay(50);
    expect(hanging.paths[0]).toMatch(/^\/v2\/inference\/deployments\/d123\/completion/);
    expect(leftovers()).toHaveLength(1);
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(leftovers()).toEqual([]);
  } finally {
    child.kill('SIGKILL');
    await hanging.close();
  }
});
