// tokenman's own token requests refuse to be redirected: a token endpoint answering 307 would have
// the client secret re-sent wherever it points (Newman follows redirects and keeps the body). A real
// `tokenman verify --remote` runs against a stand-in vendor on 127.0.0.1 whose token endpoint
// redirects to a second server, which must receive nothing.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type EchoServer, startEchoServer } from '../support/echo-server.js';
import { runCli } from '../support/run-cli.js';
import { startVendorServer, type VendorServer } from '../support/vendor-server.js';

const SECRET = 'redirected-secret-7c1f';
let elsewhere: EchoServer;
let vendor: VendorServer;

beforeAll(async () => {
  elsewhere = await startEchoServer(() => '{"access_token":"t","token_type":"bearer","expires_in":3600}');
  vendor = await startVendorServer((request) =>
    request.url?.startsWith('/oauth/token')
      ? {
          status: 307,
          headers: { location: `${elsewhere.url.replace('127.0.0.1', 'localhost')}/oauth/token` },
          body: '',
        }
      : { body: '{"ok":true}' },
  );
});
afterAll(async () => {
  await elsewhere.close();
  await vendor.close();
});

test('a token endpoint that redirects fails verify, naming where it points, and nothing reaches the other host', async () => {
  const result = await runCli([
    'verify',
    '--remote',
    'specs/sap-ai-core.yaml',
    '--env-var',
    `AuthUrl=${vendor.url}`,
    '--env-var',
    `AiApiUrl=${vendor.url}`,
    '--env-var',
    'DeploymentId=d1',
    '--env-var',
    'ClientId=redirect-client',
    '--env-var',
    `ClientSecret=${SECRET}`,
  ]);
  expect(result.code).toBe(1);
  expect(result.stdout).toContain('redirects (HTTP 307) to http://localhost:');
  expect(elsewhere.received).toEqual([]);
  expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET);
});
