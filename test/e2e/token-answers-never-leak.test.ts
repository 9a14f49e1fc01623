// What a token endpoint answers may hold live tokens and echo the credentials it was sent. Whatever
// it answers, the messages the token script reports (failed tests on Newman's stdout, in junit and
// json reports, and in the TokenError variable) name the problem without them. Real Newman runs
// against the embedded server on 127.0.0.1: through the library as `tokenman verify` runs it, and
// through Newman's own command line with its cli and junit reporters on the committed dist/ files.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startTokenServer, type TokenFault, type TokenServer } from '../../src/server/index.js';
import { ROOT } from '../support/run-cli.js';
import { runCollection, seedVariants } from '../support/run-collection.js';
import { loadValidSpec } from '../support/specs.js';

const ACCESS = 'opaque-access-7d3f19c2e8';
const REFRESH = 'opaque-refresh-52ab90e4f1';
// A secret whose URL-encoded and JSON-escaped forms differ from it.
const SECRET = 'marker secret/"7c1e"&+%';
const SECRET_FORMS = [
  SECRET,
  encodeURIComponent(SECRET),
  encodeURIComponent(SECRET).replace(/%20/g, '+'),
  JSON.stringify(SECRET).slice(1, -1),
];
const LEAKS = [ACCESS, REFRESH, ...SECRET_FORMS];

const tokenJson = JSON.stringify({
  access_token: ACCESS,
  refresh_token: REFRESH,
  token_type: 'bearer',
  expires_in: 3600,
});

const FAULTS: Array<[string, TokenFault, string]> = [
  [
    "a token answer behind a )]}' prefix",
    { status: 200, body: `)]}'\n${tokenJson}` },
    'the token endpoint answered HTTP 200 but not with a JSON object (application/json, ',
  ],
  [
    'a token answer with a trailing HTML comment',
    { status: 200, body: `${tokenJson}\n<!-- served by node 7 -->`, contentType: 'text/html' },
    'the token endpoint answered HTTP 200 but not with a JSON object (text/html, ',
  ],
  [
    'an error page quoting a token answer',
    { status: 502, body: `<html>upstream said ${tokenJson}</html>`, contentType: 'text/html' },
    'the token endpoint refused: HTTP 502 Bad Gateway: <html>upstream said {"access_token":"***"',
  ],
  [
    'a vendor error echoing the secret URL-encoded and JSON-escaped',
    {
      status: 401,
      body: JSON.stringify({
        error: 'invalid_client',
        error_description: `got ${SECRET_FORMS.join(' and ')}`,
      }),
    },
    'the token endpoint refused: HTTP 401 Unauthorized: invalid_client: got *** and *** and *** and ***',
  ],
  [
    'a text error with credentials as form fields',
    {
      status: 400,
      body: `bad request: client_secret=abc123def&refresh_token=${REFRESH}&scope=x`,
      contentType: 'text/plain',
    },
    'HTTP 400 Bad Request: bad request: client_secret=***&refresh_token=***&scope=x',
  ],
];

let server: TokenServer;
beforeAll(async () => {
  server = await startTokenServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.injectFault(null);
});

const [xsuaa] = await seedVariants(
  [new URL('../../specs/sap-ai-core.yaml', import.meta.url).pathname],
  loadValidSpec,
);
if (!xsuaa) throw new Error('sap-ai-core spec missing');

describe('the script reports the answer without what it holds', () => {
  test.each(FAULTS)('%s', async (_, fault, message) => {
    server.injectFault(fault);
    const run = await runCollection(xsuaa.spec, xsuaa.variant, server, {
      items: 'all',
      values: { ClientSecret: SECRET },
    });
    expect(run.failureText).toContain(message);
    const reported = [run.failureText, run.environment.TokenError ?? ''].join('\n');
    for (const leak of LEAKS) expect(reported).not.toContain(leak);
    expect(run.environment.TokenError).toBeTruthy();
    expect(run.stats.apiCalls).toBe(0);
  });
});

/** `newman run` as a user runs it in CI, on the committed collection and environment. */
function newmanCli(args: string[]): Promise<{ code: number; output: string }> {
  const bin = join(ROOT, 'node_modules/newman/bin/newman.js');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, 'run', ...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

describe('plain newman run --reporters cli,junit prints no token and no secret', () => {
  let reports: string;
  beforeEach(() => {
    reports = mkdtempSync(join(tmpdir(), 'tokenman-leaks-'));
    return () => rmSync(reports, { recursive: true, force: true });
  });

  test.each(FAULTS)('%s', async (_, fault, message) => {
    server.injectFault(fault);
    const junit = join(reports, 'run.xml');
    const { code, output } = await newmanCli([
      'dist/sap-ai-core.postman_collection.json',
      '-e',
      'dist/sap-ai-core.client-secret.postman_environment.json',
      ...['AuthUrl', 'AiApiUrl'].flatMap((name) => ['--env-var', `${name}=${server.url}`]),
      ...['ClientId=leak-probe', 'DeploymentId=d1', `ClientSecret=${SECRET}`].flatMap((v) => [
        '--env-var',
        v,
      ]),
      '--reporters',
      'cli,junit',
      '--reporter-junit-export',
      junit,
      '--timeout-request',
      '5000',
    ]);
    expect(code).toBe(1);
    // The junit report holds each failure message whole (in CDATA, as written).
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain(message);
    for (const leak of LEAKS) {
      expect(output).not.toContain(leak);
      expect(xml).not.toContain(leak);
    }
  });
});
