// What a user sees when the client certificate of a mutual-TLS variant is wrong: the generated
// collection of specs/sap-ai-core.yaml (x509) run by real Newman, its client-certificate list
// pointing at an expired certificate, one from a CA the server does not trust, none at all, or a
// key that is not the certificate's, against the embedded server's mTLS listener.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { specArtifacts } from '../../src/pipeline/spec-artifacts.js';
import { planSpec } from '../../src/plan/plan-spec.js';
import { issueServerCertificate } from '../../src/server/certificates.js';
import {
  createCertificateAuthority,
  issueClientCertificate,
  startTokenServer,
  type TokenServer,
} from '../../src/server/index.js';
import { loadSpec } from '../../src/spec/load-spec.js';
import type { Spec, VariantDef } from '../../src/spec/types.js';
import { environmentFileName } from '../../src/targets/output-files.js';
import { tokenItemCount } from '../../src/targets/postman/generate-collection.js';
import type { EnvironmentJson } from '../../src/targets/postman/generate-environment.js';
import { withValues } from '../../src/values/environment-fill.js';
import { localSetup } from '../../src/verify/local-credentials.js';
import { runNewman } from '../../src/verify/run-newman.js';

let server: TokenServer;
let dir: string;
let spec: Spec;
let variant: VariantDef;

beforeAll(async () => {
  server = await startTokenServer({ mtls: true });
  dir = mkdtempSync(join(tmpdir(), 'tokenman-mtls-faults-'));
  writeFileSync(join(dir, 'ca.crt'), server.caCertificate ?? '');
  const loaded = await loadSpec('specs/sap-ai-core.yaml');
  if (!loaded.spec) throw new Error('specs/sap-ai-core.yaml did not load');
  spec = loaded.spec;
  const x509 = spec.variants.find((v) => v.key === 'x509');
  if (!x509) throw new Error('no x509 variant');
  variant = x509;
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

let runs = 0;

/** The x509 variant's collection through Newman, presenting `present` (or no certificate). */
async function runWith(
  present: (issued: { cert: string; key: string }) => { cert: string; key: string } | undefined,
  values: Record<string, string> = {},
) {
  runs += 1;
  const setup = localSetup(spec, variant, server.url, `fault${runs}`, server);
  server.register(setup.client);
  if (!setup.tls) throw new Error('no client certificate issued');
  const artifacts = specArtifacts(spec);
  const collection = JSON.parse(artifacts[0]?.content ?? '{}') as { item: unknown[] };
  const environment = JSON.parse(
    artifacts.find((a) => a.fileName === environmentFileName(spec, variant))?.content ?? '{}',
  ) as EnvironmentJson;
  const files = present(setup.tls);
  const list = [];
  if (files) {
    writeFileSync(join(dir, `${runs}.crt`), files.cert);
    writeFileSync(join(dir, `${runs}.key`), files.key);
    list.push({
      name: 'fault',
      matches: ['https://127.0.0.1:*/*'],
      cert: { src: join(dir, `${runs}.crt`) },
      key: { src: join(dir, `${runs}.key`) },
    });
  }
  const before = server.stats(setup.client.clientId);
  const result = await runNewman({
    // The example request only: the script fetches the token itself, as in daily use.
    collection: { ...collection, item: collection.item.slice(tokenItemCount(planSpec(spec))) } as never,
    environment: withValues(environment, { ...setup.values, ...values }) as never,
    reporters: [],
    sslExtraCaCerts: join(dir, 'ca.crt'),
    sslClientCertList: list as never,
    timeoutRequest: 10_000,
  });
  const after = server.stats(setup.client.clientId);
  return {
    text: result.failures.map((f) => `${f.item} › ${f.test}: ${f.message}`).join('\n'),
    failures: result.failures,
    tokenCalls: after.tokenCalls - before.tokenCalls,
    apiCalls: after.apiCalls - before.apiCalls,
  };
}

const dayAgo = (days: number) => new Date(Date.now() - days * 24 * 3600 * 1000);
/** What the script says when XSUAA's certificate endpoint answers 401 Bad credentials. */
const REFUSED =
  /token endpoint refused: HTTP 401 Unauthorized: unauthorized: Bad credentials; with clientAuth tls the client certificate identifies the client: check that one is set for this host and port, that it is the one registered for this client id, and that it has not expired/;

test('the issued certificate gets the token and the API takes it', async () => {
  const run = await runWith((issued) => issued);
  expect(run.failures).toEqual([]);
  expect(run.tokenCalls).toBe(1);
  expect(run.apiCalls).toBe(1);
});

test('Certificate and PrivateKey left empty, as in Postman with Settings → Certificates: the script does not ask for them', async () => {
  const run = await runWith((issued) => issued, { Certificate: '', PrivateKey: '' });
  expect(run.failures).toEqual([]);
  expect(run.tokenCalls).toBe(1);
});

test('an expired certificate: the endpoint refuses, and the script says what to check', async () => {
  const run = await runWith(() =>
    server.issueClientCertificate({ subject: 'expired', notBefore: dayAgo(2), notAfter: dayAgo(1) }),
  );
  expect(run.text).toMatch(REFUSED);
  expect(run.apiCalls).toBe(0);
});

test('a certificate from a CA the server does not trust: refused alike', async () => {
  const run = await runWith(() =>
    issueClientCertificate(createCertificateAuthority('another CA'), { subject: 'x' }),
  );
  expect(run.text).toMatch(REFUSED);
  expect(run.apiCalls).toBe(0);
});

test('no certificate at all: refused alike', async () => {
  const run = await runWith(() => undefined);
  expect(run.text).toMatch(REFUSED);
  expect(run.apiCalls).toBe(0);
});

test("a key that is not the certificate's: nothing reaches the server, and the script says so in words", async () => {
  const run = await runWith((issued) => ({
    cert: issued.cert,
    key: server.issueClientCertificate({ subject: 'other' }).key,
  }));
  expect(run.tokenCalls).toBe(0);
  expect(run.text).toContain(
    'could not reach the token endpoint ' +
      `${server.mtlsUrl}/oauth/token: the client certificate and its private key do not belong together: take both from the same credentials (ERR_OSSL_X509_KEY_VALUES_MISMATCH)`,
  );
});

test('a server that demands the certificate in the handshake: the TLS alert in words', async () => {
  // Real endpoints may refuse in the handshake instead of answering; the embedded server never does.
  const ca = createCertificateAuthority();
  const strict = createServer(
    {
      ...issueServerCertificate(ca, ['127.0.0.1']),
      requestCert: true,
      rejectUnauthorized: true,
      ca: [ca.cert],
    },
    (_request, response) => response.end('{}'),
  );
  await new Promise<void>((resolve) => strict.listen(0, '127.0.0.1', resolve));
  try {
    const port = (strict.address() as AddressInfo).port;
    writeFileSync(join(dir, 'strict-ca.crt'), ca.cert);
    const spec = (await loadSpec('specs/sap-ai-core.yaml')).spec as Spec;
    const x509 = spec.variants.find((v) => v.key === 'x509') as VariantDef;
    const artifacts = specArtifacts(spec);
    const collection = JSON.parse(artifacts[0]?.content ?? '{}') as { item: unknown[] };
    const environment = JSON.parse(
      artifacts.find((a) => a.fileName === environmentFileName(spec, x509))?.content ?? '{}',
    ) as EnvironmentJson;
    const result = await runNewman({
      collection: { ...collection, item: collection.item.slice(tokenItemCount(planSpec(spec))) } as never,
      environment: withValues(environment, {
        CertUrl: `https://127.0.0.1:${port}`,
        ClientId: 'sb-x509!t1',
        AiApiUrl: server.url,
        DeploymentId: 'd1',
      }) as never,
      reporters: [],
      sslExtraCaCerts: join(dir, 'strict-ca.crt'),
      timeoutRequest: 10_000,
    });
    const text = result.failures.map((f) => f.message).join('\n');
    expect(text).toContain(
      'the server asks for a client certificate and none was sent: set one for this host and port (Postman: Settings > Certificates; newman: --ssl-client-cert-list; Bruno: client certificates) (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED)',
    );
  } finally {
    strict.closeAllConnections();
    await new Promise((resolve) => strict.close(resolve));
  }
});
