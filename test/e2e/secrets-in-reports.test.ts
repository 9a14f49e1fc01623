// Every failure path run with marker secrets; what tokenman prints and every report it writes are
// searched for them.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { startTokenServer, type TokenFault, type TokenServer } from '../../src/server/index.js';
import { verifyCollections } from '../../src/verify/verify-collections.js';
import { ROOT } from '../support/run-cli.js';

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
