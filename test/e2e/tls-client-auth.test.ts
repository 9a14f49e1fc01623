// clientAuth: tls end to end: the generated collection of an SAP x509-shaped spec, run by real
// Newman with its client-certificate list, fetches its token from the embedded server's mutual-TLS
// listener (client_id in the body, no secret anywhere) and uses it at the API.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { specArtifacts } from '../../src/pipeline/spec-artifacts.js';
import type { TokenServer } from '../../src/server/index.js';
import { loadSpec } from '../../src/spec/load-spec.js';
import type { EnvironmentJson } from '../../src/targets/postman/generate-environment.js';
import { withValues } from '../../src/values/environment-fill.js';
import { runNewman } from '../../src/verify/run-newman.js';
import { type MtlsClient, startMtlsClient } from '../support/mtls-client.js';

const CLIENT = 'sb-x509-tokenman!t4711';
let client: MtlsClient;
let server: TokenServer;

beforeAll(async () => {
  client = await startMtlsClient(CLIENT);
  server = client.server;
});
afterAll(async () => {
  await client.close();
});

test('the token comes over mutual TLS with client_id alone, and the API takes it', async () => {
  const result = await loadSpec('test/fixtures/valid/credentials/sap-x509.yaml');
  if (!result.spec) throw new Error('sap-x509.yaml did not load');
  const [collectionFile, environmentFile] = specArtifacts(result.spec);
  const collection = JSON.parse(collectionFile?.content ?? '{}') as { item: unknown[] };
  const environment = JSON.parse(environmentFile?.content ?? '{}') as EnvironmentJson;
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
    sslExtraCaCerts: client.ca,
    sslClientCertList: client.certList,
  });
  expect(run.failures).toEqual([]);
  const after = server.stats(CLIENT);
  expect(after.tokenCalls - before.tokenCalls).toBe(1);
  expect(after.apiCalls - before.apiCalls).toBe(1);
  // The collection itself carries no certificate, key or signer: TLS is Newman's and Postman's.
  expect(collectionFile?.content).not.toContain(readFileSync(client.cert, 'utf8').split('\n')[1]);
  expect(collectionFile?.content).not.toContain('.bundle.js');
});
