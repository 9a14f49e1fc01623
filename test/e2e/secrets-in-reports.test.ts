// Every failure path run with marker secrets; what tokenman prints and every report it writes are
// searched for them, and for the tokens the run received (opaque ones too) in every encoding.
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, onTestFinished, test } from 'vitest';
import { buildSpecs } from '../../src/pipeline/build-specs.js';
import { startTokenServer, type TokenFault, type TokenServer } from '../../src/server/index.js';
import { verifyCollections } from '../../src/verify/verify-collections.js';
import { ROOT } from '../support/run-cli.js';
import { startVendorServer } from '../support/vendor-server.js';

const SECRET = 'marker-secret-3c9e71f0';
const PASSWORD = 'marker-password-b84d22aa';
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\./;
let server: TokenServer;
let reports: string;

beforeAll(async () => {
  server = await startTokenServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.injectFault(null);
  reports = mkdtempSync(join(tmpdir(), 'tokenman-secrets-'));
  return () => rmSync(reports, { recursive: true, force: true });
});

const FAULTS: Array<[string, TokenFault | null]> = [
  ['wrong credentials', null],
  [
    'a vendor error echoing the secrets',
    {
      status: 401,
      body: JSON.stringify({ error: 'invalid_client', error_description: `got ${SECRET} ${PASSWORD}` }),
    },
  ],
  [
    'a 502 HTML page echoing the secrets',
    { status: 502, body: `<html>${SECRET} ${PASSWORD}</html>`, contentType: 'text/html' },
  ],
  ['JSON without a token', { status: 200, body: '{"token_type":"bearer"}' }],
  ['a timeout', { status: 200, body: '{}', delayMs: 2_000 }],
];

test.each(FAULTS)('%s: no secret in the output or the junit and json reports', async (_, fault) => {
  server.injectFault(fault);
  const result = await verifyCollections({
    files: [join(ROOT, 'specs/sap-ai-core.yaml'), join(ROOT, 'specs/sap-cloud-management.yaml')],
    specsDir: join(ROOT, 'specs'),
    distDir: join(ROOT, 'dist'),
    local: true,
    server,
    envVars: { ClientSecret: SECRET, Password: PASSWORD },
    // The variants with a secret: the x509 ones send none.
    variants: ['client-secret', 'password', 'client-credentials'],
    reporters: ['junit', 'json'],
    reportersDir: reports,
    timeoutRequest: 500,
  });
  expect(result.outcomes.map((o) => o.passed)).toEqual([false, false, false]);
  const outputs = [
    ...result.outcomes.map((o) => [o.label, JSON.stringify(o)] as const),
    ...readdirSync(reports).map((name) => [name, readFileSync(join(reports, name), 'utf8')] as const),
  ];
  expect(outputs.length).toBe(3 + 6);
  for (const [name, text] of outputs) {
    expect(text, name).not.toContain(SECRET);
    expect(text, name).not.toMatch(JWT);
    // Password is a secret variable of sap-cloud-management only; sap-ai-core has none.
    if (name.startsWith('sap-cloud-management')) expect(text, name).not.toContain(PASSWORD);
  }
});

test('a passing run writes no token into its reports', async () => {
  const result = await verifyCollections({
    files: [join(ROOT, 'specs/biotz.yaml'), join(ROOT, 'specs/ibm-api-connect.yaml')],
    specsDir: join(ROOT, 'specs'),
    distDir: join(ROOT, 'dist'),
    local: true,
    server,
    reporters: ['junit', 'json'],
    reportersDir: reports,
  });
  expect(result.outcomes.every((o) => o.passed)).toBe(true);
  for (const name of readdirSync(reports))
    expect(readFileSync(join(reports, name), 'utf8'), name).not.toMatch(JWT);
});

/** What tokenman prints (the outcomes are what `--format json` prints and text lines quote) and writes. */
function outputsOf(outcomes: object[], dir: string): Array<readonly [string, string]> {
  return [
    ...outcomes.map((o) => ['outcome', JSON.stringify(o)] as const),
    ...readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')] as const),
  ];
}

function expectNoneOf(values: string[], outputs: Array<readonly [string, string]>): void {
  for (const [name, text] of outputs) for (const value of values) expect(text, name).not.toContain(value);
}

const marker = (name: string) => `${name}-${randomBytes(8).toString('hex')}`;

/** A spec of our own (a vendor answer tokenman's seed specs do not give), built into a folder of its own. */
async function buildOwnSpec(yaml: string): Promise<{ specsDir: string; distDir: string; file: string }> {
  const root = mkdtempSync(join(tmpdir(), 'tokenman-own-spec-'));
  const specsDir = join(root, 'specs');
  const distDir = join(root, 'dist');
  mkdirSync(specsDir);
  const file = join(specsDir, 'own.yaml');
  writeFileSync(file, yaml);
  const built = await buildSpecs({ specsDir, outDir: distDir });
  expect(built.problems).toEqual([]);
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  return { specsDir, distDir, file };
}

function ownSpec(token: string[]): string {
  return [
    'name: Own vendor',
    'variables:',
    '  AuthUrl: {}',
    '  ClientId: {}',
    '  ClientSecret:',
    '    secret: true',
    'token:',
    '  url: "{{AuthUrl}}/oauth/token"',
    '  grant: client_credentials',
    '  clientAuth: body',
    '  clientId: "{{ClientId}}"',
    '  clientSecret: "{{ClientSecret}}"',
    ...token.map((line) => `  ${line}`),
    'requests:',
    '  - name: Call',
    '    url: "{{AuthUrl}}/api"',
    '    expect: 200',
    '',
  ].join('\n');
}

test('refresh: false: the refresh token, an opaque access token and a cookie of the token answer are redacted', async () => {
  const values = {
    access: marker('opaque-access'),
    refresh: marker('opaque-refresh'),
    cookie: marker('cookie'),
  };
  const vendor = await startVendorServer((request) =>
    request.url === '/oauth/token'
      ? {
          headers: { 'set-cookie': `session=${values.cookie}; Path=/; HttpOnly` },
          body: JSON.stringify({
            access_token: values.access,
            refresh_token: values.refresh,
            token_type: 'bearer',
            expires_in: 600,
          }),
        }
      : { body: '{"ok":true}' },
  );
  onTestFinished(() => vendor.close());
  const own = await buildOwnSpec(ownSpec(['refresh: false']));
  const result = await verifyCollections({
    files: [own.file],
    specsDir: own.specsDir,
    distDir: own.distDir,
    local: false,
    envVars: { AuthUrl: vendor.url, ClientId: 'own-client', ClientSecret: SECRET },
    reporters: ['junit', 'json'],
    reportersDir: reports,
  });
  expect(result.outcomes.map((o) => o.passed)).toEqual([true]);
  const report = readFileSync(join(reports, 'own.json'), 'utf8');
  // The report still says what came back, with the values gone.
  expect(report).toContain('refresh_token');
  expectNoneOf([SECRET, ...Object.values(values)], outputsOf(result.outcomes, reports));
});

test.each([
  ['a guard prefix', (body: string) => `)]}'\n${body}`],
  ['a trailing HTML comment', (body: string) => `${body}\n<!-- served by edge-7 -->`],
])('a token answer behind %s: no token in the output or the reports', async (_, wrap) => {
  const access = marker('opaque-access');
  const refresh = marker('opaque-refresh');
  const body = JSON.stringify({ access_token: access, refresh_token: refresh, token_type: 'bearer' });
  server.injectFault({ status: 200, body: wrap(body) });
  const result = await verifyCollections({
    files: [join(ROOT, 'specs/sap-ai-core.yaml')],
    specsDir: join(ROOT, 'specs'),
    distDir: join(ROOT, 'dist'),
    local: true,
    server,
    variants: ['client-secret'],
    reporters: ['junit', 'json'],
    reportersDir: reports,
  });
  expect(result.outcomes).toHaveLength(1);
  expectNoneOf([access, refresh], outputsOf(result.outcomes, reports));
});

// Every way a server or a message may echo a secret: percent-encoded (encodeURIComponent, a form's
// `+` for space, lower-case hex), JSON-escaped, and (in junit) XML-escaped.
const SPECIAL = `p@ss w/rd+&"x'<z>é-${randomBytes(4).toString('hex')}`;
const echoes = (s: string) => [
  s,
  encodeURIComponent(s),
  new URLSearchParams({ s }).toString().slice(2),
  encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
  JSON.stringify(s).slice(1, -1),
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
];

test('a vendor error echoing the secret URL-encoded, form-encoded and JSON-escaped: no form of it anywhere', async () => {
  const [, ...encoded] = echoes(SPECIAL);
  server.injectFault({
    status: 401,
    body: JSON.stringify({ error: 'invalid_client', error_description: `got ${encoded.join(' and ')}` }),
  });
  const result = await verifyCollections({
    files: [join(ROOT, 'specs/sap-cloud-management.yaml')],
    specsDir: join(ROOT, 'specs'),
    distDir: join(ROOT, 'dist'),
    local: true,
    server,
    envVars: { ClientSecret: SPECIAL },
    variants: ['client-credentials'],
    reporters: ['junit', 'json'],
    reportersDir: reports,
  });
  expect(result.outcomes.map((o) => o.passed)).toEqual([false]);
  // The script blanks what it recognises (***) before tokenman redacts the rest: the vendor's words stay.
  expect(result.outcomes[0]?.failures[0]).toMatch(
    /invalid_client: got (\*\*\*|\[redacted by tokenman\]) and/,
  );
  expectNoneOf(echoes(SPECIAL), outputsOf(result.outcomes, reports));
});

// Without `&`: the "Get token" request puts {{ClientSecret}} in its URL as is, where an `&` would
// start another parameter (Postman's own behaviour).
const IN_QUERY = SPECIAL.replace('&', '');

/** The golden GET-style collection (xsuaa-get-query) verified against `vendorUrl` with this secret. */
async function verifyGetQuery(vendorUrl: string, clientSecret: string) {
  const golden = join(ROOT, 'test/fixtures/golden/xsuaa-get-query');
  const specsDir = mkdtempSync(join(tmpdir(), 'tokenman-get-query-'));
  onTestFinished(() => rmSync(specsDir, { recursive: true, force: true }));
  copyFileSync(join(golden, 'spec.yaml'), join(specsDir, 'xsuaa-get-query.yaml'));
  return verifyCollections({
    files: [join(specsDir, 'xsuaa-get-query.yaml')],
    specsDir,
    distDir: golden,
    local: false,
    envVars: { AuthUrl: vendorUrl, ClientId: 'get-client', ClientSecret: clientSecret },
    reporters: ['junit', 'json'],
    reportersDir: reports,
  });
}

test('GET with the secret in the query (xsuaa-get-query): a vendor echoing the URL it got leaks no form of it', async () => {
  const vendor = await startVendorServer((request) =>
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
  onTestFinished(() => vendor.close());
  const result = await verifyGetQuery(vendor.url, IN_QUERY);
  expect(result.outcomes.map((o) => o.passed)).toEqual([false]);
  // The vendor got the secret in the query, encoded the way Newman encodes a query (its own mix),
  // and said so.
  const sent = vendor.paths.map((path) => /[?&]client_secret=([^&]*)/.exec(path)?.[1] ?? '');
  expect(sent.map(decodeURIComponent)).toEqual([IN_QUERY, IN_QUERY]);
  expect(result.outcomes[0]?.failures[0]).toContain('no client for /oauth/token?');
  expectNoneOf([...echoes(IN_QUERY), ...sent], outputsOf(result.outcomes, reports));
});

test('GET with an `&` in the secret: the "Get token" request sends it whole, and no piece of it is shown', async () => {
  const vendor = await startVendorServer((request) =>
    request.url?.startsWith('/oauth/token')
      ? { status: 401, body: JSON.stringify({ error: 'invalid_client', error_description: request.url }) }
      : { body: '{"ok":true}' },
  );
  onTestFinished(() => vendor.close());
  const result = await verifyGetQuery(vendor.url, SPECIAL);
  expect(result.outcomes.map((o) => o.passed)).toEqual([false]);
  // The script writes the visible request's query with every value encoded, so the vendor gets the
  // secret whole; should a piece ever be split off again, none of them may be shown either.
  const sent = vendor.paths.map((path) => new URL(path, 'http://x').searchParams.get('client_secret'));
  expect(sent.length).toBeGreaterThan(0);
  expect(new Set(sent)).toEqual(new Set([SPECIAL]));
  const pieces = SPECIAL.split('&');
  expectNoneOf([SPECIAL, ...pieces.flatMap(echoes)], outputsOf(result.outcomes, reports));
});

// Bruno's reports were redacted with the run's secrets but not its tokens, so an API that
// answers with the token it was sent left it in `.bruno.json`; Newman's were redacted of it.
test('an API echoing its token: no token in the reports of either client', async () => {
  const access = marker('opaque-access');
  const vendor = await startVendorServer((request) =>
    request.url === '/oauth/token'
      ? { body: JSON.stringify({ access_token: access, token_type: 'bearer', expires_in: 600 }) }
      : { body: JSON.stringify({ echo: (request.headers.authorization ?? '').replace(/^Bearer /, '') }) },
  );
  onTestFinished(() => vendor.close());
  const own = await buildOwnSpec(ownSpec([]));
  const result = await verifyCollections({
    files: [own.file],
    specsDir: own.specsDir,
    distDir: own.distDir,
    local: false,
    envVars: { AuthUrl: vendor.url, ClientId: 'own-client', ClientSecret: SECRET },
    client: 'all',
    reporters: ['junit', 'json'],
    reportersDir: reports,
  });
  // Newman, the Postman CLI's v2.1 and v3 runs, bru run; the v3 run writes no report of its own.
  expect(result.outcomes.map((o) => o.passed)).toEqual([true, true, true, true]);
  expect(readdirSync(reports).sort()).toEqual([
    'own.bruno.json',
    'own.bruno.junit.xml',
    'own.json',
    'own.junit.xml',
    'own.postman-cli.json',
    'own.postman-cli.junit.xml',
  ]);
  // The report still says what came back, with the value gone.
  expect(readFileSync(join(reports, 'own.bruno.json'), 'utf8')).toContain('"echo": "[redacted by tokenman]"');
  expectNoneOf([SECRET, access], outputsOf(result.outcomes, reports));
});
