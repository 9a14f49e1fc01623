// The Collection v3 files: byte-stable, shaped as the Postman app keeps them in Git, linted clean by
// the Postman CLI (the newest binary tokenman pins, and the oldest its wrapper pins), and holding
// the same requests, scripts and environments as the v2.1 collection. That they run is proven by
// verify's Postman CLI runs (test/cli/verify-postman-cli.test.ts).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { planSpec } from '../../../src/plan/plan-spec.js';
import { generateCollectionV3 } from '../../../src/targets/postman/generate-collection-v3.js';
import { postmanCliEnvironment, resolvePostmanCli } from '../../../src/verify/postman-cli.js';
import { loadApiSpec } from '../../spec/api/api-helpers.js';
import { DIST_DIR, loadValidSpec, seedSpecFiles } from '../../support/specs.js';

const specs = await Promise.all(seedSpecFiles.map((file) => loadValidSpec(file)));

type Yaml = Record<string, unknown> & {
  $kind?: string;
  auth?: { type: string; credentials?: Array<{ key: string; value: string }> };
  scripts?: Array<{ type: string; code: string; language: string }>;
};

describe.each(specs.map((spec) => [spec.id, spec] as const))('%s', (id, spec) => {
  const plan = planSpec(spec);
  const files = generateCollectionV3(plan);
  const byName = new Map(files.map((file) => [file.fileName, parse(file.content) as Yaml]));
  const root = `postman/collections/${id}/`;

  test('the same bytes every build, the committed ones', () => {
    expect(generateCollectionV3(planSpec(spec))).toEqual(files);
    for (const file of files) {
      expect(readFileSync(new URL(file.fileName, DIST_DIR), 'utf8'), file.fileName).toBe(file.content);
    }
  });

  test('a collection without auth of its own, whose pre-request script is the token flow', () => {
    const definition = byName.get(`${root}.resources/definition.yaml`);
    expect(definition?.$kind).toBe('collection');
    // A v3 runner would put the collection's auth on the script's own token requests.
    expect(definition?.auth).toBeUndefined();
    expect(definition?.scripts?.map((s) => s.type)).toEqual(['http:beforeRequest']);
    expect(definition?.scripts?.[0]?.code.startsWith("'use sandbox2';\n")).toBe(true);
    expect(definition?.scripts?.[0]?.code).toContain('tokenmanPostmanBeforeRequest(pm, tokenman');
  });

  test('each request that uses the token carries Bearer {{Token}}; a "Get token" request none', () => {
    const requests = [...byName].filter(([name]) => name.endsWith('.request.yaml'));
    expect(requests).toHaveLength(plan.variants.length + plan.requests.length);
    for (const [name, request] of requests) {
      expect(request.$kind, name).toBe('http-request');
      const isTokenRequest = /Get token/.test(name);
      if (isTokenRequest) expect(['noauth', 'basic']).toContain(request.auth?.type);
      else
        expect(request.auth).toEqual({ type: 'bearer', credentials: [{ key: 'token', value: '{{Token}}' }] });
      // The checks of the "Get token" answers are in the file once: on the request, or on its folder.
      const checks = request.scripts?.map((s) => s.type) ?? [];
      expect(checks, name).toEqual(isTokenRequest && plan.tokenFolder ? [] : ['afterResponse']);
    }
  });

  test('one environment a variant, with the v2.1 environment`s variables and defaults', () => {
    for (const variant of plan.variants) {
      const name = `postman/environments/${id}${variant.key ? `.${variant.key}` : ''}.environment.yaml`;
      const environment = byName.get(name) as { name: string; values: Array<Record<string, unknown>> };
      expect(environment.name).toBe(variant.environment.name);
      expect(environment.values).toEqual(
        variant.environment.values.map((v) => ({
          key: v.name,
          value: v.value,
          enabled: true,
          type: v.secret ? 'secret' : 'default',
        })),
      );
    }
  });
});

describe('postman collection lint', () => {
  const home = mkdtempSync(join(tmpdir(), 'tokenman-postman-home-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  const oldest = join(
    dirname(createRequire(import.meta.url).resolve('postman-cli-1.34/package.json')),
    'bin',
    'postman',
  );
  const binaries = [
    ['the newest binary', resolvePostmanCli() ?? ''],
    ['the binary of the oldest wrapper (1.34.0)', oldest],
  ];

  test.each(binaries)('%s finds nothing wrong in any committed collection', (_, binary) => {
    expect(binary, 'the Postman CLI is not installed (npm ci installs it)').not.toBe('');
    const run = spawnSync(
      binary,
      ['collection', 'lint', new URL('postman/collections', DIST_DIR).pathname, '-r', 'json'],
      { env: postmanCliEnvironment(home), encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as {
      diagnostics: unknown[];
      errorCount: number;
      filesScanned: number;
    };
    expect(report.diagnostics).toEqual([]);
    expect(report.filesScanned).toBeGreaterThanOrEqual(specs.length * 2);
  });

  test('finds nothing wrong in the folders, parameters and no-token requests of an API document', async () => {
    // The pet store fixture: tags and an untagged operation, path variables (one inside an OData
    // segment), required and optional query parameters and headers, and an operation without token.
    const result = await loadApiSpec('  openapi: pets.yaml');
    if (!result.spec) throw new Error(result.problems.map((p) => p.message).join('; '));
    const plan = planSpec(result.spec);
    expect(plan.requests.some((request) => request.auth === 'none')).toBe(true);
    const out = mkdtempSync(join(tmpdir(), 'tokenman-v3-api-'));
    try {
      const files = generateCollectionV3(plan);
      expect(
        files.filter((file) => file.fileName.endsWith('/.resources/definition.yaml')).length,
      ).toBeGreaterThan(2);
      for (const file of files) {
        mkdirSync(dirname(join(out, file.fileName)), { recursive: true });
        writeFileSync(join(out, file.fileName), file.content);
      }
      const run = spawnSync(
        resolvePostmanCli() ?? '',
        ['collection', 'lint', join(out, 'postman/collections'), '-r', 'json'],
        { env: postmanCliEnvironment(home), encoding: 'utf8', timeout: 60_000 },
      );
      expect(run.status, run.stdout + run.stderr).toBe(0);
      const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as { diagnostics: unknown[] };
      expect(report.diagnostics).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
