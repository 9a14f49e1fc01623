// A collection a team already keeps, attached to a spec's token: everything in it kept, every
// request authorised by the token, its own scripts still running after tokenman's. Real Newman runs
// the built collection against the embedded token server on 127.0.0.1.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Collection } from 'postman-collection';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { specArtifacts } from '../../../src/pipeline/spec-artifacts.js';
import { startTokenServer, type TokenServer } from '../../../src/server/index.js';
import { loadSpec } from '../../../src/spec/load-spec.js';
import type { Problem } from '../../../src/spec/problem.js';
import type { Spec } from '../../../src/spec/types.js';
import { type EchoServer, startEchoServer } from '../../support/echo-server.js';
import { runCollection } from '../../support/run-collection.js';

type Json = Record<string, unknown>;

const SPEC = 'test/fixtures/attach/shop.yaml';
const COLLECTION = 'test/fixtures/attach/shop.postman_collection.json';
const root = fileURLToPath(new URL('../../../', import.meta.url));

const original = JSON.parse(await readFile(`${root}${COLLECTION}`, 'utf8')) as Json & {
  item: Json[];
  event: Json[];
};
const loaded = await loadSpec(`${root}${SPEC}`);
const spec = loaded.spec as Spec;
if (!spec) throw new Error(`${SPEC} is invalid: ${loaded.problems.map((p) => p.message).join('; ')}`);
const artifacts = specArtifacts(spec);
const built = JSON.parse(artifacts[0]?.content ?? '{}') as Json & { item: Json[]; event: Json[] };
const environment = JSON.parse(artifacts[1]?.content ?? '{}') as { values: Array<{ key: string }> };

/** The requests of a collection as the Postman SDK reads them: folder path and name, and the request as JSON. */
function requestsOf(collection: Collection): Array<{ path: string; item: Json }> {
  const found: Array<{ path: string; item: Json }> = [];
  collection.forEachItem((item) => {
    const path: string[] = [];
    for (
      let parent = item.parent() as unknown as { name?: string; parent?: () => unknown } | undefined;
      parent && parent !== (collection as unknown);
      parent = parent.parent?.() as typeof parent
    )
      if (parent.name) path.unshift(parent.name);
    const json = withoutIds(item.toJSON()) as Json;
    found.push({ path: [...path, item.name].join(' / '), item: json });
  });
  return found;
}

/** A value without the ids the SDK makes up for what has none (a script, an example). */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'id')
      .map(([key, v]) => [key, withoutIds(v)]),
  );
}

const byRule = (rule: string) => loaded.problems.filter((p: Problem) => p.ruleId === rule);

describe('a collection the team keeps, attached to the token', () => {
  test('every request, folder, example, script and variable of it is kept; only the own token auths go', () => {
    const expected = structuredClone(original) as unknown as Json & { item: Array<Json & { item: Json[] }> };
    const orders = expected.item[0]?.item ?? [];
    for (const request of orders.slice(0, 2)) delete (request.request as Json).auth; // its own oauth2, bearer
    // tokenman's "Get token" first, its script first, its auth: the rest is the team's, as it was.
    expect({ ...built, item: built.item.slice(1), event: built.event.slice(1), auth: original.auth }).toEqual(
      expected,
    );

    const sdkOriginal = new Collection(original as never);
    const sdkBuilt = new Collection(built as never);
    const before = requestsOf(sdkOriginal);
    const after = requestsOf(sdkBuilt).filter((r) => r.path !== 'Get token');
    expect(after.map((r) => r.path)).toEqual([
      'Orders / List orders',
      'Orders / Get order',
      'Orders / Create order',
      'Stock / Stock level',
      'Health',
    ]);
    for (const [index, request] of after.entries()) {
      const was = structuredClone(before[index]?.item) as Json & { request: Json };
      if (['Orders / List orders', 'Orders / Get order'].includes(request.path)) delete was.request.auth;
      expect(request.item, request.path).toEqual(was);
    }
    // The API key request keeps its own auth; the examples and the folder's description are there.
    expect(after[3]?.item.request).toMatchObject({ auth: { type: 'apikey' } });
    expect(after[0]?.item.response).toHaveLength(1);
    expect(sdkBuilt.variables.toJSON()).toEqual(sdkOriginal.variables.toJSON());
    expect(sdkBuilt.name).toBe('Shop');
  });

  test("tokenman's pre-request script comes first, then the team's own scripts, as they were", () => {
    const events = new Collection(built as never).events.toJSON() as Array<{
      listen: string;
      script: { exec: string[] };
    }>;
    expect(events.map((e) => e.listen)).toEqual(['prerequest', 'prerequest', 'test']);
    expect(events[0]?.script.exec.join('\n')).toContain('tokenmanPostmanBeforeRequest(pm');
    expect(withoutIds(events.slice(1))).toEqual(original.event);
    expect(built.auth).toEqual({
      type: 'bearer',
      bearer: [{ key: 'token', value: '{{Token}}', type: 'string' }],
    });
  });

  test("the collection's own oauth2 auth, replaced by the token, is said where it was", () => {
    expect(byRule('collection-auth-replaced')).toMatchObject([
      {
        severity: 'warning',
        message:
          "the collection's own oauth2 auth is replaced by Bearer {{Token}}, which tokenman's pre-request script fetches",
        position: { line: 248, col: 2 },
      },
    ]);
  });

  test('the requests that had their own oauth2 or bearer auth are listed, each where it was', () => {
    const switched = byRule('collection-auth-switched');
    expect(switched.map((p) => p.message)).toEqual([
      `request "Orders / List orders" had its own oauth2 auth; it now inherits the collection's Bearer {{Token}}`,
      `request "Orders / Get order" had its own bearer auth; it now inherits the collection's Bearer {{Token}}`,
    ]);
    expect(switched.map((p) => [p.severity, p.file.endsWith(COLLECTION), p.position])).toEqual([
      ['warning', true, { line: 30, col: 7 }],
      ['warning', true, { line: 123, col: 7 }],
    ]);
  });

  test('a variable the requests send that no environment declares is a warning at its first use', () => {
    const undeclared = byRule('collection-undeclared-variable');
    expect(undeclared).toHaveLength(1);
    expect(undeclared[0]).toMatchObject({
      severity: 'warning',
      message:
        '{{TraceId}} is sent by request "Orders / Create order", but no environment declares it and the collection gives it no value',
      position: { line: 165, col: 9 },
    });
    // Declared by the spec, given by the collection's variables, or only in the replaced auth: no warning.
    expect(undeclared.map((p) => p.message).join()).not.toMatch(/Sku|OrderId|OldToken|ShopUrl|\$guid/);
    expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
    // Variables only the collection uses are not "never used", and the environment has them.
    expect(byRule('unused-variable')).toEqual([]);
    expect(environment.values.map((v) => v.key)).toEqual(
      expect.arrayContaining([
        'ShopUrl',
        'LegacyUrl',
        'LegacyKey',
        'AuthUrl',
        'ClientId',
        'ClientSecret',
        'Token',
      ]),
    );
  });
});

describe('attaching again, and auth tokenman keeps', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokenman-attach-again-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function attach(collection: unknown) {
    const file = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(collection));
    const result = await loadSpec(`${root}${SPEC}`, { attach: file });
    if (!result.spec) throw new Error(result.problems.map((p) => p.message).join('; '));
    return { built: JSON.parse(specArtifacts(result.spec)[0]?.content ?? '{}'), problems: result.problems };
  }

  test('a collection tokenman already attached to, attached again, is the same file: nothing doubled', async () => {
    const again = await attach(built);
    expect(again.built).toEqual(built);
    expect(again.problems.filter((p) => p.ruleId.startsWith('collection-auth'))).toEqual([]);
  });

  test("the spec's own requests come first, then its API document's operations, then the team's", async () => {
    const specFile = join(dir, 'both.yaml');
    const text = readFileSync(`${root}${SPEC}`, 'utf8').replace(
      /^api:\n.*$/m,
      `requests:\n  - name: Who am I\n    url: "{{ShopUrl}}/me"\napi:\n  openapi: ${root}test/fixtures/api/pets.yaml\n  collection: ${root}${COLLECTION}`,
    );
    writeFileSync(specFile, text);
    const result = await loadSpec(specFile);
    if (!result.spec) throw new Error(result.problems.map((p) => p.message).join('; '));
    const out = JSON.parse(specArtifacts(result.spec)[0]?.content ?? '{}') as { item: Json[] };
    const names = out.item.map((item) => item.name);
    const operations = result.spec.api?.operations.length ?? 0;
    expect(operations).toBeGreaterThan(0);
    expect(names.slice(0, 2)).toEqual(['Get token', 'Who am I']);
    expect(names.slice(-3)).toEqual(['Orders', 'Stock', 'Health']);
    // The document's variables are declared by the environments: no warning of the collection's names them.
    const undeclared = result.problems.filter((p) => p.ruleId === 'collection-undeclared-variable');
    expect(undeclared.map((p) => p.message)).toEqual([expect.stringContaining('{{TraceId}}')]);
  });

  test("noauth and an API key are kept; a collection's own API key auth is replaced, and said so", async () => {
    const AUTHORIZATION = { key: 'Authorization', value: 'Basic {{LegacyKey}}' };
    const collection = {
      info: { name: 'Keys', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      auth: { type: 'apikey', apikey: [{ key: 'value', value: '{{LegacyKey}}' }] },
      item: [
        {
          name: 'Open',
          request: {
            method: 'GET',
            url: '{{ShopUrl}}/open',
            auth: { type: 'noauth' },
            header: [AUTHORIZATION],
          },
        },
        {
          name: 'Admin',
          auth: { type: 'oauth2', oauth2: [] },
          item: [
            { name: 'Users', request: { method: 'GET', url: '{{ShopUrl}}/users', header: [AUTHORIZATION] } },
          ],
        },
        {
          name: 'Keyed',
          auth: { type: 'apikey', apikey: [{ key: 'value', value: '{{LegacyKey}}' }] },
          item: [
            {
              name: 'Stock',
              request: { method: 'GET', url: '{{LegacyUrl}}/stock', header: [AUTHORIZATION] },
            },
          ],
        },
      ],
    };
    const { built: out, problems } = await attach(collection);
    expect(out.item.slice(1)).toEqual(
      [collection.item[0], { ...collection.item[1], auth: undefined }, collection.item[2]].map((i) =>
        JSON.parse(JSON.stringify(i)),
      ),
    );
    expect(
      problems.filter((p) => p.ruleId.startsWith('collection-')).map((p) => [p.ruleId, p.message]),
    ).toEqual([
      [
        'collection-auth-replaced',
        "the collection's own apikey auth is replaced by Bearer {{Token}}: the requests that inherited it send the token instead",
      ],
      [
        'collection-auth-switched',
        `folder "Admin" had its own oauth2 auth; it now inherits the collection's Bearer {{Token}}`,
      ],
      // Only the request that sends the token: not the one with noauth, nor the one under an API key.
      [
        'collection-authorization-header',
        `request "Admin / Users" sets an Authorization header of its own; the collection's Bearer {{Token}} replaces it when it is sent`,
      ],
    ]);
  });
});

describe('the attached collection run by Newman against the embedded server', () => {
  let server: TokenServer;
  let stock: EchoServer;
  beforeAll(async () => {
    server = await startTokenServer();
    stock = await startEchoServer(() => '{"sku":"SKU-1","level":7}');
  });
  afterAll(async () => {
    await stock.close();
    await server.close();
  });

  test('one token call; every request of the team carries Bearer <that token>, the API key request its key', async () => {
    const variant = spec.variants[0];
    if (!variant) throw new Error('no variant');
    const result = await runCollection(spec, variant, server, {
      // Only the team's requests: the collection's script fetches the token by itself.
      items: 'api',
      values: { ShopUrl: server.url, LegacyUrl: stock.url, LegacyKey: 'stock-key-1', TraceId: 'trace-1' },
    });
    expect(result.failureText).toBe('');
    expect(result.stats).toEqual({ tokenCalls: 1, apiCalls: 4, rejectedApiCalls: 0 });
    const token = result.environment.Token ?? '';
    expect(token).not.toBe('');

    // Newman lists an item once more for the token request its script sends: each item's last is its own.
    const sent = new Map(
      result.summary.run.executions.map((execution) => [
        execution.item.name,
        {
          authorization: execution.request.headers.get('Authorization'),
          client: execution.request.headers.get('X-Client'),
        },
      ]),
    );
    expect(Object.fromEntries(sent)).toEqual({
      'List orders': { authorization: `Bearer ${token}`, client: 'shop-tests' },
      'Get order': { authorization: `Bearer ${token}`, client: 'shop-tests' },
      'Create order': { authorization: `Bearer ${token}`, client: 'shop-tests' },
      'Stock level': { authorization: undefined, client: 'shop-tests' },
      Health: { authorization: `Bearer ${token}`, client: 'shop-tests' },
    });
    // The team's own checks ran: the collection's test script on each request, the request's own on one.
    expect(result.assertions).toEqual({ total: 6, failed: 0 });
    // The API key request went with its key, and no token, to the stock service.
    expect(stock.received).toHaveLength(1);
    expect(stock.received[0]?.headers['x-api-key']).toBe('stock-key-1');
    expect(stock.received[0]?.headers.authorization).toBeUndefined();
    expect(stock.received[0]?.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("the team's pre-request script runs after tokenman's has stored the token, with Postman's old globals", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokenman-attach-order-'));
    const file = join(dir, 'order.postman_collection.json');
    writeFileSync(
      file,
      JSON.stringify({
        info: {
          name: 'Order',
          schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
        },
        item: [{ name: 'Stock', request: { method: 'GET', url: '{{LegacyUrl}}/stock' } }],
        event: [
          {
            listen: 'prerequest',
            script: {
              type: 'text/javascript',
              exec: [
                // A name tokenman's script declares too, and a global only the old sandbox has.
                "const tokenman = pm.environment.get('Token') ? 'yes' : 'no';",
                "postman.setEnvironmentVariable('HadToken', tokenman);",
                "pm.request.headers.upsert({ key: 'X-Had-Token', value: tokenman });",
              ],
            },
          },
        ],
      }),
    );
    try {
      const result = await loadSpec(`${root}${SPEC}`, { attach: file });
      const attached = result.spec as Spec;
      const variant = attached.variants[0];
      if (!variant) throw new Error('no variant');
      stock.received.length = 0;
      const run = await runCollection(attached, variant, server, {
        items: 'api',
        values: { LegacyUrl: stock.url, ShopUrl: server.url },
      });
      expect(run.failureText).toBe('');
      expect(run.stats.tokenCalls).toBe(1);
      expect(stock.received.map((r) => r.headers['x-had-token'])).toEqual(['yes']);
      expect(run.environment.HadToken).toBe('yes');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
