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
