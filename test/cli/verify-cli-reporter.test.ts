// Newman's cli reporter prints each request's URL and each failure's message on tokenman's stdout:
// with a GET-style token request (xsuaa-get-query) the URL carries the client secret, and a vendor
// echoing it puts it in the message. Neither reaches the terminal or a CI log.
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ROOT, runCli } from '../support/run-cli.js';
import { startVendorServer, type VendorServer } from '../support/vendor-server.js';

// No `&`: the "Get token" request puts {{ClientSecret}} in its URL as is (Postman's behaviour).
const SECRET = `p@ss w/rd+"x'<z>é-${randomBytes(4).toString('hex')}`;
const golden = join(ROOT, 'test/fixtures/golden/xsuaa-get-query');
const specs = mkdtempSync(join(tmpdir(), 'tokenman-cli-reporter-'));
let vendor: VendorServer;

beforeAll(async () => {
  copyFileSync(join(golden, 'spec.yaml'), join(specs, 'xsuaa-get-query.yaml'));
  vendor = await startVendorServer((request) =>
    request.url?.startsWith('/oauth/token')
      ? {
          status: 401,
          body: JSON.stringify({
            error: 'invalid_client',
            error_description: `no client for ${request.url}`,
          }),
        }
      : { body: '{"ok":true}' },
  );
});
afterAll(async () => {
  await vendor.close();
  rmSync(specs, { recursive: true, force: true });
});

test('--reporter cli: no form of a secret sent in a query string, nor of its echo', async () => {
  const result = await runCli([
    'verify',
    '--remote',
    '--specs',
    specs,
    '--dist',
    golden,
    '--reporter',
    'cli',
    '--env-var',
    `AuthUrl=${vendor.url}`,
    '--env-var',
    'ClientId=get-client',
    '--env-var',
    `ClientSecret=${SECRET}`,
  ]);
  // Newman's own report is there, URL and all, with the secret's place marked.
  expect(result.stdout).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/oauth\/token\?grant_type=client_credentials/);
  expect(result.stdout).toContain('client_secret=[redacted by tokenman]');
  const sent = vendor.paths.map((path) => /[?&]client_secret=([^&]*)/.exec(path)?.[1] ?? '');
  expect(sent.map(decodeURIComponent)).toEqual([SECRET, SECRET]);
  const forms = [SECRET, encodeURIComponent(SECRET), JSON.stringify(SECRET).slice(1, -1), ...sent];
  for (const form of forms) expect(`${result.stdout}${result.stderr}`).not.toContain(form);
});
