// verify --local in contract mode, with the real runners against the real embedded server: every
// seed spec that names an API document passes with its requests held to that document, and a
// request the document refuses fails the run with the document's words.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { verifyCollections } from '../../src/verify/verify-collections.js';
import { runCli } from '../support/run-cli.js';
import { loadValidSpec, seedSpecFiles } from '../support/specs.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/contract/${name}`, import.meta.url));
const dist = mkdtempSync(join(tmpdir(), 'tokenman-contract-'));
let server: TokenServer;

beforeAll(async () => {
  server = await startTokenServer();
  const built = await runCli([
    'build',
    '-q',
    '--out',
    dist,
    fixture('inventory.yaml'),
    fixture('off-contract.yaml'),
  ]);
  expect(built.stderr).toBe('');
});
afterAll(async () => {
  await server.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('verify --local holds API requests to the document', () => {
  test('every seed spec with an API document passes, no call refused, one token call a run', async () => {
    const withApi: string[] = [];
    for (const file of seedSpecFiles) if ((await loadValidSpec(file)).api) withApi.push(file);
    expect(withApi.length).toBeGreaterThanOrEqual(3);
    const before = server.stats();
    const result = await verifyCollections({ files: withApi, local: true, server });
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    for (const outcome of result.outcomes) {
      expect(outcome.failures, outcome.label).toEqual([]);
      expect(outcome.tokenCalls, outcome.label).toBe(1);
    }
    const after = server.stats();
    expect(after.apiCalls - before.apiCalls).toBeGreaterThan(result.outcomes.length * 3);
    expect(after.rejectedApiCalls - before.rejectedApiCalls).toBe(0);
  });

  test('a seed spec is held to its document: a folder id that is not an integer is refused', async () => {
    const result = await verifyCollections({
      files: [fileURLToPath(new URL('../../specs/uipath-orchestrator.yaml', import.meta.url))],
      local: true,
      server,
      variants: ['cloud'],
      envVars: { FolderId: 'shared' },
    });
    expect(result.outcomes[0]?.passed).toBe(false);
    expect(result.outcomes[0]?.failures[0]).toContain(
      'HTTP 400 POST /odata/Queues/UiPathODataSvc.AddQueueItem: header "X-UIPATH-OrganizationUnitId" must be integer',
    );
  });

  test('every operation of a fixture passes, the tokenless one included', async () => {
    const result = await verifyCollections({
      files: [fixture('inventory.yaml')],
      distDir: dist,
      local: true,
      server,
    });
    expect(result.outcomes[0]?.failures).toEqual([]);
    expect(result.outcomes[0]?.passed).toBe(true);
    // "Get token", the spec's own request and the six operations.
    expect(result.outcomes[0]?.requests).toBe(8);
  });

  test.each([
    ['postman', ''],
    ['bruno', ' in Bruno'],
  ] as const)('%s: requests the document refuses fail the run in its words', async (client, suffix) => {
    const result = await verifyCollections({
      files: [fixture('off-contract.yaml')],
      distDir: dist,
      local: true,
      server,
      client,
    });
    const outcome = result.outcomes[0];
    expect(outcome?.label).toBe(`off-contract${suffix}`);
    expect(outcome?.passed).toBe(false);
    const failures = outcome?.failures.join('\n') ?? '';
    expect(failures).toContain('GET /items: query parameter "max" must be integer');
    expect(failures).toContain('GET /search: header "X-Shop" is required');
    expect(failures).toContain(
      "POST /items: body must have required property 'name'; body/note must be string or null",
    );
    // The operation of the document that needs no token passed.
    expect(failures).not.toContain('health');
  });
});
