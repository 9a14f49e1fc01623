import { afterAll, beforeAll, expect, test } from 'vitest';
import { specArtifacts } from '../../src/pipeline/spec-artifacts.js';
import type { TokenServer } from '../../src/server/index.js';
import type { EnvironmentJson } from '../../src/targets/postman/generate-environment.js';
import { withValues } from '../../src/values/environment-fill.js';
import { runNewman } from '../../src/verify/run-newman.js';
import { type MtlsClient, startMtlsClient } from '../support/mtls-client.js';
import { loadValidSpec } from '../support/specs.js';

const CLIENT = 'sb-x509-discovery!t4711';
let client: MtlsClient;
let server: TokenServer;

beforeAll(async () => {
  client = await startMtlsClient(CLIENT);
  server = client.server;
});
afterAll(async () => {
  await client.close();
});

test('the mTLS alias of the discovery document is where the token request goes', async () => {
  const spec = await loadValidSpec('test/fixtures/valid/discovery/sap-x509-discovery.yaml');
  const [collectionFile, environmentFile] = specArtifacts(spec);
  const collection = JSON.parse(collectionFile?.content ?? '{}') as { item: unknown[] };
  const environment = JSON.parse(environmentFile?.content ?? '{}') as EnvironmentJson;
  const before = server.stats(CLIENT);
  const run = await runNewman({
    collection: { ...collection, item: collection.item.slice(1) } as never,
    environment: withValues(environment, {
      AuthUrl: server.url,
      ClientId: CLIENT,
      AiApiUrl: server.url,
    }) as never,
    reporters: [],
    sslExtraCaCerts: client.ca,
    sslClientCertList: client.certList,
  });
  expect(run.failures).toEqual([]);
  expect(run.environment.TokenEndpoint).toBe(`${server.mtlsUrl}/oauth/token`);
  const after = server.stats(CLIENT);
  expect(after.tokenCalls - before.tokenCalls).toBe(1);
  expect(after.apiCalls - before.apiCalls).toBe(1);
});
