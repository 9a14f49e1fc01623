// verify --remote never sends an operation that changes data unless told to: against a stand-in
// vendor on 127.0.0.1 (the embedded server in contract mode, behind a recorder that counts each
// request), by default only the spec's own requests and the GET operations whose path parameters
// have values go out; --allow-writes sends the others, --operations chooses, and a write chosen
// without --allow-writes stops the run before anything is sent.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { readApiDocument } from '../../src/spec/api/api-document.js';
import type { ApiDef } from '../../src/spec/types.js';
import { runCli } from '../support/run-cli.js';

const SPEC = fileURLToPath(new URL('../fixtures/contract/inventory.yaml', import.meta.url));
const DOCUMENT = fileURLToPath(new URL('../fixtures/contract/apis/inventory.yaml', import.meta.url));
const CLIENT = 'inventory-tenant';
const SECRET = 'tenant-secret-7d0c2e91';
const dist = mkdtempSync(join(tmpdir(), 'tokenman-remote-writes-'));
let vendor: TokenServer;
let recorder: Server;
let apiHost: string;
/** Every API request the stand-in received, as `METHOD /path`. */
const received: string[] = [];

beforeAll(async () => {
  const built = await runCli(['build', '-q', '--out', dist, SPEC]);
  expect(built.stderr).toBe('');
  vendor = await startTokenServer();
  vendor.register({
    clientId: CLIENT,
    clientSecret: SECRET,
    grants: ['client_credentials'],
    tokenEndpointPath: '/oauth/token',
  });
  const document = await readApiDocument({ document: DOCUMENT } as ApiDef);
  if (!document) throw new Error('the fixture document does not read');
  vendor.holdToApi(CLIENT, { document, basePath: '/v1' });
  // The API's host: each request counted, then passed to the stand-in as it came.
  recorder = createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    const target = new URL(vendor.url);
    const forward = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
  apiHost = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
});
beforeEach(() => {
  received.length = 0;
});
afterAll(async () => {
  recorder.closeAllConnections();
  await new Promise<void>((resolve) => recorder.close(() => resolve()));
  await vendor.close();
  rmSync(dist, { recursive: true, force: true });
});

const remote = (...more: string[]) =>
  runCli([
    'verify',
    '--remote',
    '--dist',
    dist,
    SPEC,
    '--env-var',
    `ApiHost=${apiHost}`,
    '--env-var',
    `AuthUrl=${vendor.url}`,
    '--env-var',
    `ClientId=${CLIENT}`,
    '--env-var',
    `ClientSecret=${SECRET}`,
    ...more,
  ]);

const methods = () => received.map((line) => line.split(' ')[0]);

/** Each file of the output folder and a hash of it: a run leaves it as it was. */
function filesOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[path] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return files;
}

describe('verify --remote and the operations that change data', () => {
  test('by default: the own request and the GET operations with their path parameters set, one token call', async () => {
    const tokenCalls = vendor.stats(CLIENT).tokenCalls;
    const result = await remote();
    expect(result.stdout).toMatch(/^PASS {2}inventory {2}/m);
    expect(result.code).toBe(0);
    expect(methods().every((method) => method === 'GET')).toBe(true);
    expect(received).toEqual(
      expect.arrayContaining(['GET /v1/items?max=5', 'GET /v1/items', 'GET /v1/search', 'GET /v1/health']),
    );
    expect(received.some((line) => line.startsWith('GET /v1/items/'))).toBe(false);
    expect(result.stdout).toContain(
      'inventory: 3 of 6 operations not sent; changes data, --allow-writes sends it: POST /items, DELETE /items/{itemId}; ItemId has no value: GET /items/{itemId}',
    );
    expect(vendor.stats(CLIENT).tokenCalls - tokenCalls).toBe(1);
    expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET);
  });

  test('--allow-writes sends them, with the path parameter set', async () => {
    const tokenCalls = vendor.stats(CLIENT).tokenCalls;
    const result = await remote('--allow-writes', '--env-var', 'ItemId=7');
    expect(result.stdout).toMatch(/^PASS {2}inventory {2}/m);
    expect(result.code).toBe(0);
    expect(
      methods()
        .filter((method) => method !== 'GET')
        .sort(),
    ).toEqual(['DELETE', 'POST']);
    expect(received.some((line) => line.startsWith('GET /v1/items/'))).toBe(true);
    expect(result.stdout).not.toContain('not sent');
    expect(vendor.stats(CLIENT).tokenCalls - tokenCalls).toBe(1);
  });

  test('--operations narrows the run to what it selects', async () => {
    const result = await remote('--operations', '{tags: [Health]}');
    expect(result.code).toBe(0);
    // The spec's own request, and the one operation.
    expect(received.sort()).toEqual(['GET /v1/health', 'GET /v1/items?max=5']);
    expect(result.stdout).toContain('inventory: 5 of 6 operations not sent; not in --operations: ');
  });

  test('a write chosen by --operations without --allow-writes is refused, and nothing is sent', async () => {
    const tokenCalls = vendor.stats(CLIENT).tokenCalls;
    const result = await remote('--operations', '{operations: [createItem, "GET /items"]}');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      '--operations selects POST /items of inventory, which changes data at the vendor; nothing was sent: add --allow-writes to send it',
    );
    expect(received).toEqual([]);
    expect(vendor.stats(CLIENT).tokenCalls).toBe(tokenCalls);
  });

  test('--operations that is not a selection, or selects nothing, is one sentence, and nothing is sent', async () => {
    const word = await remote('--operations', 'createItem');
    expect(word.code).toBe(1);
    expect(word.stderr.trim()).toBe(
      `tokenman: --operations "createItem" is not a selection: write it as api.include is written, as --operations '{tags: [Users], operations: [listUsers, "GET /users/{id}"]}'`,
    );
    const nothing = await remote('--operations', '{tags: [Itemz]}');
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain(
      `--operations tags: "Itemz" selects no operation of these specs' API documents`,
    );
    expect(received).toEqual([]);
  });

  test('bruno: the run sends no write either, from a copy of the collection; the output folder is untouched', async () => {
    const before = filesOf(dist);
    const result = await remote('--client', 'bruno');
    expect(result.stdout).toMatch(/^PASS {2}inventory in Bruno {2}/m);
    expect(result.code).toBe(0);
    expect(methods().every((method) => method === 'GET')).toBe(true);
    expect(received).toContain('GET /v1/health');
    expect(filesOf(dist)).toEqual(before);
  });

  test('postman-cli: neither its v2.1 run nor its v3 run sends a write', async () => {
    const result = await remote('--client', 'postman-cli');
    expect(result.stdout).toMatch(/^PASS {2}inventory in Postman CLI {2}/m);
    expect(result.stdout).toMatch(/^PASS {2}inventory in Postman CLI \(v3\) {2}/m);
    expect(result.code).toBe(0);
    expect(methods().every((method) => method === 'GET')).toBe(true);
    expect(received.filter((line) => line === 'GET /v1/health')).toHaveLength(2);
  });
});
