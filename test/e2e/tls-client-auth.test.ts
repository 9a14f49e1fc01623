// clientAuth: tls end to end: the generated collection of an SAP x509-shaped spec, run by real
// Newman with its client-certificate list, fetches its token from the embedded server's mutual-TLS
// listener (client_id in the body, no secret anywhere) and uses it at the API.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { loadSpec } from '../../src/spec/load-spec.js';
import { generateArtifacts } from '../../src/targets/generate-artifacts.js';
import type { EnvironmentJson } from '../../src/targets/postman/generate-environment.js';
import { withValues } from '../../src/values/environment-fill.js';
import { runNewman } from '../../src/verify/run-newman.js';

const CLIENT = 'sb-x509-tokenman!t4711';
let server: TokenServer;
let dir: string;

beforeAll(async () => {
  server = await startTokenServer({ mtls: true });
  server.register({
    clientId: CLIENT,
    grants: ['client_credentials'],
    certificate: { subject: 'CN=x509-client' },
  });
  dir = mkdtempSync(join(tmpdir(), 'tokenman-tls-'));
  writeFileSync(join(dir, 'ca.pem'), server.caCertificate ?? '');
  const issued = server.issueClientCertificate({ subject: 'x509-client' });
  writeFileSync(join(dir, 'client.pem'), issued.cert);
  writeFileSync(join(dir, 'client.key'), issued.key, { mode: 0o600 });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the token comes over mutual TLS with client_id alone, and the API takes it', async () => {
  const result = await loadSpec('test/fixtures/valid/credentials/sap-x509.yaml');
  if (!result.spec) throw new Error('sap-x509.yaml did not load');
  const [collectionFile, environmentFile] = generateArtifacts(result.spec);
  const collection = JSON.parse(collectionFile?.content ?? '{}') as { item: unknown[] };
  const environment = JSON.parse(environmentFile?.content ?? '{}') as EnvironmentJson;
  // A pattern with the port wildcard: one without a port matches only 443.
  const list = join(dir, 'certs.json');
  writeFileSync(
    list,
    JSON.stringify([
      {
        name: 'x509 service key',
        matches: ['https://127.0.0.1:*/*'],
        key: { src: join(dir, 'client.key') },
        cert: { src: join(dir, 'client.pem') },
      },
    ]),
  );
  const before = server.stats(CLIENT);
  const run = await runNewman({
    // The example request only: the script fetches the token itself.
    collection: { ...collection, item: collection.item.slice(1) } as never,
    environment: withValues(environment, {
      CertUrl: server.mtlsUrl ?? '',
      ClientId: CLIENT,
      AiApiUrl: server.url,
    }) as never,
    reporters: [],
    sslExtraCaCerts: join(dir, 'ca.pem'),
    sslClientCertList: list,
  });
  expect(run.failures).toEqual([]);
  const after = server.stats(CLIENT);
  expect(after.tokenCalls - before.tokenCalls).toBe(1);
  expect(after.apiCalls - before.apiCalls).toBe(1);
  // The collection itself carries no certificate, key or signer: TLS is Newman's and Postman's.
  expect(collectionFile?.content).not.toContain(readFileSync(join(dir, 'client.pem'), 'utf8').split('\n')[1]);
  expect(collectionFile?.content).not.toContain('.bundle.js');
});
