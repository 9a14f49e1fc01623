// clientAuth tls with OpenID Connect discovery: the embedded server, with its mutual-TLS listener
// running, lists that listener's token endpoint under mtls_endpoint_aliases (RFC 8705 section 5) in
// the discovery document of its plain listener. Real Newman, given the client certificate, reads the
// alias rather than token_endpoint and gets its token over mutual TLS with client_id alone.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { generateArtifacts } from '../../src/targets/generate-artifacts.js';
import type { EnvironmentJson } from '../../src/targets/postman/generate-environment.js';
import { withValues } from '../../src/values/environment-fill.js';
import { runNewman } from '../../src/verify/run-newman.js';
import { loadValidSpec } from '../support/specs.js';

const CLIENT = 'sb-x509-discovery!t4711';
let server: TokenServer;
let dir: string;

beforeAll(async () => {
  server = await startTokenServer({ mtls: true });
  server.register({
    clientId: CLIENT,
    grants: ['client_credentials'],
    certificate: { subject: 'CN=x509-client' },
  });
  dir = mkdtempSync(join(tmpdir(), 'tokenman-tls-discovery-'));
  writeFileSync(join(dir, 'ca.pem'), server.caCertificate ?? '');
  const issued = server.issueClientCertificate({ subject: 'x509-client' });
  writeFileSync(join(dir, 'client.pem'), issued.cert);
  writeFileSync(join(dir, 'client.key'), issued.key, { mode: 0o600 });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the mTLS alias of the discovery document is where the token request goes', async () => {
  const spec = await loadValidSpec('test/fixtures/valid/discovery/sap-x509-discovery.yaml');
  const [collectionFile, environmentFile] = generateArtifacts(spec);
  const collection = JSON.parse(collectionFile?.content ?? '{}') as { item: unknown[] };
  const environment = JSON.parse(environmentFile?.content ?? '{}') as EnvironmentJson;
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
    collection: { ...collection, item: collection.item.slice(1) } as never,
    environment: withValues(environment, {
      AuthUrl: server.url,
      ClientId: CLIENT,
      AiApiUrl: server.url,
    }) as never,
    reporters: [],
    sslExtraCaCerts: join(dir, 'ca.pem'),
    sslClientCertList: list,
  });
  expect(run.failures).toEqual([]);
  expect(run.environment.TokenEndpoint).toBe(`${server.mtlsUrl}/oauth/token`);
  const after = server.stats(CLIENT);
  expect(after.tokenCalls - before.tokenCalls).toBe(1);
  expect(after.apiCalls - before.apiCalls).toBe(1);
});
