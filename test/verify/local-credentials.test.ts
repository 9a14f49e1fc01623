// localSetup points each host variable at the embedded server. A variable that holds a whole URL
// (Google's token_uri) keeps its default's path there, since the server picks the vendor's dialect by
// path; a variable that holds only a host becomes the server's URL.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { parseSpec } from '../../src/spec/load-spec.js';
import type { Spec } from '../../src/spec/types.js';
import { localSetup } from '../../src/verify/local-credentials.js';

const SERVER = 'http://127.0.0.1:40123';

function load(file: string): Spec {
  const result = parseSpec(readFileSync(file, 'utf8'), file);
  if (!result.spec) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.spec;
}

test("a whole-URL token variable keeps its default's path on the server's origin", () => {
  const spec = load('specs/google-service-account.yaml');
  const variant = spec.variants[0];
  if (!variant) throw new Error('no variant');
  const { values, client } = localSetup(spec, variant, SERVER);
  expect(values.TokenUri).toBe(`${SERVER}/token`);
  expect(client.tokenEndpointPath).toBe('/token');
  // A host-only variable is the server's URL; the JWT-bearer grant's client is the assertion's iss.
  expect(values.ResourceManagerUrl).toBe(SERVER);
  expect(client.clientId).toBe(values.ClientEmail);
  expect(client.publicKeys?.[0]?.kid).toBe(values.PrivateKeyId);
});

test('a host variable whose default is a bare host, or a variant default, becomes the server URL', () => {
  const spec = load('specs/salesforce.yaml');
  for (const variant of spec.variants) {
    const { values, client } = localSetup(spec, variant, SERVER);
    expect(values.LoginUrl).toBe(SERVER);
    expect(values.InstanceUrl).toBe(SERVER);
    expect(client.tokenEndpointPath).toBe('/services/oauth2/token');
  }
});

test('a client id with a default is a client of its own in each variant, so each run counts its own token calls', () => {
  const spec = load('specs/ibm-api-connect.yaml');
  const ids = spec.variants.map((variant) => localSetup(spec, variant, SERVER).client.clientId);
  expect(ids).toHaveLength(2);
  expect(new Set(ids).size).toBe(2);
  for (const id of ids) expect(id).not.toBe('caa87d9a-8cd7-4686-8b6e-ee2cdc5ee267');
});

test("a defaulted client id of a single-variant spec (what tokenman init writes) is each run's own too", () => {
  const yaml = [
    'name: Acme Cloud',
    'variables:',
    '  AuthUrl: { default: "https://login.acme.example" }',
    '  ClientId: { default: my-app }',
    '  ClientSecret: { secret: true }',
    'token:',
    '  url: "{{AuthUrl}}/oauth2/token"',
    '  grant: client_credentials',
    '  clientAuth: basic',
    '  clientId: "{{ClientId}}"',
    '  clientSecret: "{{ClientSecret}}"',
    '',
  ].join('\n');
  const result = parseSpec(yaml, 'specs/acme-cloud.yaml');
  const spec = result.spec;
  const variant = spec?.variants[0];
  if (!spec || !variant) throw new Error(result.problems.map((p) => p.message).join('; '));
  const newman = localSetup(spec, variant, SERVER, '');
  const bruno = localSetup(spec, variant, SERVER, 'b');
  expect(newman.client.clientId).not.toBe('my-app');
  expect(newman.client.clientId).not.toBe(bruno.client.clientId);
});

test("an attached collection's hosts, declared or its own, point at the server: no request leaves the machine", async () => {
  const { loadSpec } = await import('../../src/spec/load-spec.js');
  const { spec } = await loadSpec('test/fixtures/attach/shop.yaml');
  if (!spec?.collection) throw new Error('the fixture attaches no collection');
  const variant = spec.variants[0];
  if (!variant) throw new Error('no variant');
  // A request on a host only the collection names, with a path in its value.
  const collection = structuredClone(spec.collection.collection) as {
    item: unknown[];
    variable: Array<{ key: string; value: string }>;
  };
  collection.item.push({ name: 'Status', request: { method: 'GET', url: { raw: '{{baseUrl}}/status' } } });
  collection.variable.push({ key: 'baseUrl', value: 'https://api.shop.example/v2' });
  const { values } = localSetup({ ...spec, collection: { ...spec.collection, collection } }, variant, SERVER);
  for (const host of ['ShopUrl', 'LegacyUrl']) expect(new URL(values[host] ?? '').origin).toBe(SERVER);
  expect(values.baseUrl).toBe(`${SERVER}/v2`);
});

test("the API document's base URL variable points at the server", () => {
  const spec = load('specs/biotz.yaml');
  const variant = spec.variants[0];
  if (!variant) throw new Error('no variant');
  const withApi = {
    ...spec,
    api: { document: 'x.yaml', files: [], baseUrl: '{{VendorApiUrl}}/v1', variables: [], operations: [] },
    variables: [
      ...spec.variables,
      { ...(spec.variables[0] as Spec['variables'][number]), name: 'VendorApiUrl' },
    ],
  };
  const { values } = localSetup(withApi, variant, SERVER);
  expect(values.VendorApiUrl?.startsWith(SERVER)).toBe(true);
});
