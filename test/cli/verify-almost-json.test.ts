// A token endpoint answering almost-JSON (a `)]}'` guard line): whatever the script makes of it,
// what `tokenman verify` prints, in text and as --format json, and its reports hold no token.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { startVendorServer, type VendorServer } from '../support/vendor-server.js';

const ACCESS = `opaque-access-${randomBytes(8).toString('hex')}`;
const REFRESH = `opaque-refresh-${randomBytes(8).toString('hex')}`;
const work = mkdtempSync(join(tmpdir(), 'tokenman-almost-json-'));
let vendor: VendorServer;

beforeAll(async () => {
  mkdirSync(join(work, 'specs'));
  writeFileSync(
    join(work, 'specs', 'guarded.yaml'),
    [
      'name: Guarded',
      'variables:',
      '  AuthUrl: {}',
      'token:',
      '  url: "{{AuthUrl}}/oauth/token"',
      '  grant: client_credentials',
      '  clientAuth: none',
      '  clientId: guarded',
      '  refresh: false',
      'requests:',
      '  - name: Call',
      '    url: "{{AuthUrl}}/api"',
      '',
    ].join('\n'),
  );
  const built = await runCli(['build', '--specs', join(work, 'specs'), '--out', join(work, 'dist')]);
  expect(built.stderr).toBe('');
  vendor = await startVendorServer((request) =>
    request.url === '/oauth/token'
      ? {
          body: `)]}'\n${JSON.stringify({ access_token: ACCESS, refresh_token: REFRESH, token_type: 'bearer' })}`,
        }
      : { status: 401, body: '{"error":"invalid_token"}' },
  );
});
afterAll(async () => {
  await vendor.close();
  rmSync(work, { recursive: true, force: true });
});

test.each([['text'], ['json']])('--format %s: no token in the output or the reports', async (format) => {
  const reports = join(work, `reports-${format}`);
  const result = await runCli([
    'verify',
    '--remote',
    '--specs',
    join(work, 'specs'),
    '--dist',
    join(work, 'dist'),
    '--env-var',
    `AuthUrl=${vendor.url}`,
    '--reporter',
    'junit,json',
    '--reporters-dir',
    reports,
    '--format',
    format,
  ]);
  expect(result.stdout).toContain('guarded');
  const outputs = [
    ['stdout', result.stdout],
    ['stderr', result.stderr],
    ...readdirSync(reports).map((name) => [name, readFileSync(join(reports, name), 'utf8')]),
  ];
  expect(outputs).toHaveLength(4);
  for (const [name, text] of outputs) {
    expect(text, name).not.toContain(ACCESS);
    expect(text, name).not.toContain(REFRESH);
  }
});
