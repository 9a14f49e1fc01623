// verifyCollections with an AbortSignal (what `tokenman verify` wires to SIGINT and SIGTERM): a
// stopped run publishes no report and leaves no private folder, a request in flight is cut short,
// and the run's own agents, which make that possible, keep TLS checks as they were.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { buildSpecs } from '../../src/pipeline/build-specs.js';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { verifyCollections } from '../../src/verify/verify-collections.js';
import { ROOT } from '../support/run-cli.js';
import { startVendorServer } from '../support/vendor-server.js';

const work = mkdtempSync(join(tmpdir(), 'tokenman-abort-'));
const originalTmp = process.env.TMPDIR;
let reports = '';
let privateTmp = '';

beforeEach(() => {
  reports = mkdtempSync(join(work, 'reports-'));
  // This process's os.tmpdir() for the test: whatever verify leaves there is its own.
  privateTmp = mkdtempSync(join(work, 'tmp-'));
  process.env.TMPDIR = privateTmp;
  return () => {
    if (originalTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = originalTmp;
  };
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

test('a signal already given: no run starts, no report, nothing in the temporary folder', async () => {
  const controller = new AbortController();
  controller.abort(new Error('stopped by SIGINT'));
  const result = await verifyCollections({
    files: [join(ROOT, 'specs/sap-ai-core.yaml')],
    specsDir: join(ROOT, 'specs'),
    distDir: join(ROOT, 'dist'),
    local: true,
    variants: ['client-secret'],
    reporters: ['junit', 'json'],
    reportersDir: reports,
    signal: controller.signal,
  });
  // The run pool takes no run once the signal is given: nothing ran, nothing passed or failed.
  expect(result.outcomes).toEqual([]);
  expect(result.counts).toEqual({ passed: 0, failed: 0 });
  expect(result.totalRuns).toBe(1);
  expect(readdirSync(reports)).toEqual([]);
  expect(readdirSync(privateTmp)).toEqual([]);
});

test('a signal while a request waits on a silent server: the run ends at once, writes nothing', async () => {
  const vendor = await startVendorServer((request) =>
    request.url === '/oauth/token'
      ? { body: '{"access_token":"opaque-abort-token","token_type":"bearer","expires_in":600}' }
      : undefined,
  );
  const specs = join(work, 'specs');
  mkdirSync(specs, { recursive: true });
  writeFileSync(
    join(specs, 'silent.yaml'),
    [
      'name: Silent',
      'variables:',
      '  AuthUrl: {}',
      'token:',
      '  url: "{{AuthUrl}}/oauth/token"',
      '  grant: client_credentials',
      '  clientAuth: none',
      '  clientId: silent',
      'requests:',
      '  - name: Never answered',
      '    url: "{{AuthUrl}}/silent"',
      '',
    ].join('\n'),
  );
  const dist = join(work, 'dist');
  expect((await buildSpecs({ specsDir: specs, outDir: dist })).problems).toEqual([]);
  const controller = new AbortController();
  const poll = setInterval(() => {
    if (vendor.paths.includes('/silent')) controller.abort(new Error('stopped by SIGTERM'));
  }, 20);
  try {
    const started = Date.now();
    const result = await verifyCollections({
      files: [join(specs, 'silent.yaml')],
      specsDir: specs,
      distDir: dist,
      local: false,
      envVars: { AuthUrl: vendor.url },
      reporters: ['junit', 'json'],
      reportersDir: reports,
      timeoutRequest: 120_000,
      signal: controller.signal,
    });
    expect(controller.signal.aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.outcomes.map((o) => o.failures)).toEqual([
      ['stopped by SIGTERM before this run finished; it wrote no report'],
    ]);
  } finally {
    clearInterval(poll);
    await vendor.close();
  }
  expect(readdirSync(reports)).toEqual([]);
  expect(readdirSync(privateTmp)).toEqual([]);
});

describe("TLS through the run's own agents", () => {
  let tlsServer: TokenServer;
  beforeAll(async () => {
    const { generate } = await import('selfsigned');
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keySize: 2048,
      algorithm: 'sha256',
    });
    tlsServer = await startTokenServer({ tls: { key: pems.private, cert: pems.cert } });
  });
  afterAll(async () => {
    await tlsServer.close();
  });

  test("a self-signed certificate: API Connect's insecure: true passes, a spec without it fails naming it", async () => {
    const result = await verifyCollections({
      files: [join(ROOT, 'specs/ibm-api-connect.yaml'), join(ROOT, 'specs/sap-ai-core.yaml')],
      specsDir: join(ROOT, 'specs'),
      distDir: join(ROOT, 'dist'),
      local: true,
      server: tlsServer,
      variants: ['password', 'api-key', 'client-secret'],
      signal: new AbortController().signal,
    });
    expect(result.outcomes.map((o) => [o.label, o.passed])).toEqual([
      ['ibm-api-connect (password)', true],
      ['ibm-api-connect (api-key)', true],
      ['sap-ai-core (client-secret)', false],
    ]);
    expect(result.outcomes[2]?.failures[0]).toMatch(/self[- ]signed|DEPTH_ZERO_SELF_SIGNED_CERT/i);
  });
});
