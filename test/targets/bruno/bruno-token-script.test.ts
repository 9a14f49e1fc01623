// The Bruno token script's pure helpers, evaluated from the exact code a collection carries (the
// header, the JSON config, the Postman script's helpers, the Bruno part), wrapped in an async
// function as Bruno wraps each script. Whether the script works in Bruno is proven by
// test/e2e/bruno-collections.test.ts with the real bru run.
import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';
import { planTokenRequests } from '../../../src/plan/token-plan.js';
import type { Spec } from '../../../src/spec/types.js';
import { buildBrunoScriptConfig } from '../../../src/targets/bruno/bruno-script-config.js';
import { brunoScriptCode } from '../../../src/targets/bruno/bruno-token-script-source.js';
import { loadValidSpec, SPECS_DIR } from '../../support/specs.js';

type Pairs = Array<[string, string]>;
interface AxiosRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  data?: string;
  timeout: number;
  validateStatus: null;
}
interface Helpers {
  tokenmanBrunoForm(pairs: Pairs): string;
  tokenmanBrunoMultipart(pairs: Pairs, boundary: string): string;
  tokenmanBrunoTokenRequest(
    plan: { method: string; encoding: string },
    url: string,
    params: Pairs,
    headers: Pairs,
    authorization: string,
    timeout: number,
  ): AxiosRequest;
  tokenmanBrunoBody(data: unknown): { text: string; body: unknown };
  tokenmanBrunoPutParam(encoding: string, data: unknown, name: string, value: string): unknown;
  tokenman: { event: string; config: { name: string } };
}

const spec = await loadValidSpec(new URL('sap-cloud-management.yaml', SPECS_DIR).pathname);

async function evaluate(name = spec.name): Promise<Helpers> {
  const config = buildBrunoScriptConfig({ ...spec, name }, planTokenRequests(spec), (p) => p.variant);
  const code = brunoScriptCode('before-request', config);
  const names = [
    'tokenmanBrunoForm',
    'tokenmanBrunoMultipart',
    'tokenmanBrunoTokenRequest',
    'tokenmanBrunoBody',
    'tokenmanBrunoPutParam',
  ];
  const wrapped = `(async function () {\n${code}\nreturn { ${names.join(', ')}, tokenman };\n})()`;
  return (await runInNewContext(wrapped, { JSON, encodeURIComponent, Math, Date })) as Helpers;
}

const h = await evaluate();

describe('the generated code', () => {
  test('starts with the explanatory header, then the config, one value a line', () => {
    const config = buildBrunoScriptConfig(spec, planTokenRequests(spec), (p) => p.variant);
    const lines = brunoScriptCode('tests', config).split('\n');
    expect(lines[0]).toMatch(/^\/\/ tokenman token script for Bruno/);
    const start = lines.indexOf('const tokenman = {');
    expect(start).toBeGreaterThan(0);
    expect(lines.slice(0, start).every((line) => line === '' || line.startsWith('//'))).toBe(true);
    const trimmed = lines.map((line) => line.trim());
    expect(trimmed).toContain('"url": "{{UaaUrl}}/oauth/token",');
    expect(trimmed).toContain('["grant_type", "password"],');
  });

  test('a spec string stays data: quotes, backslashes and line breaks cannot become code', async () => {
    const hostile = 'x"; globalThis.pwned = 1; "\\\n*/ }; throw 1; //';
    const evaluated = await evaluate(hostile);
    expect(evaluated.tokenman.config.name).toBe(hostile);
    expect(evaluated.tokenman.event).toBe('before-request');
  });
});

describe('tokenmanBrunoTokenRequest', () => {
  const params: Pairs = [
    ['grant_type', 'password'],
    ['username', 'ada@example.com'],
    ['password', 'p&ss wörd='],
  ];
  const headers: Pairs = [['Accept', 'application/json']];

  test('urlencoded: the form in the body, every status resolved (validateStatus null)', () => {
    const request = h.tokenmanBrunoTokenRequest(
      { method: 'POST', encoding: 'urlencoded' },
      'https://uaa.example/oauth/token',
      params,
      [...headers, ['Content-Type', 'application/x-www-form-urlencoded']],
      'Basic abc',
      30000,
    );
    expect(request).toEqual({
      method: 'POST',
      url: 'https://uaa.example/oauth/token',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: 'Basic abc',
      },
      data: 'grant_type=password&username=ada%40example.com&password=p%26ss%20w%C3%B6rd%3D',
      timeout: 30000,
      validateStatus: null,
    });
    expect(new URLSearchParams(request.data).get('password')).toBe('p&ss wörd=');
  });

  test('query: every parameter in the URL, no body', () => {
    const request = h.tokenmanBrunoTokenRequest(
      { method: 'GET', encoding: 'query' },
      'https://uaa.example/oauth/token?x=1',
      params.slice(0, 1),
      headers,
      '',
      30000,
    );
    expect(request.url).toBe('https://uaa.example/oauth/token?x=1&grant_type=password');
    expect(request.data).toBeUndefined();
    expect(request.headers.Authorization).toBeUndefined();
  });

  test('json: one object of the parameters', () => {
    const request = h.tokenmanBrunoTokenRequest({ method: 'POST', encoding: 'json' }, 'u', params, [], '', 1);
    expect(JSON.parse(request.data ?? '')).toEqual({
      grant_type: 'password',
      username: 'ada@example.com',
      password: 'p&ss wörd=',
    });
  });

  test('form-data: a multipart body a standard parser reads back, with its boundary in Content-Type', async () => {
    const request = h.tokenmanBrunoTokenRequest(
      { method: 'POST', encoding: 'form-data' },
      'u',
      params,
      [],
      '',
      1,
    );
    const contentType = request.headers['Content-Type'] ?? '';
    expect(contentType).toMatch(/^multipart\/form-data; boundary=----tokenman[0-9a-f]+$/);
    const form = await new Response(request.data, { headers: { 'content-type': contentType } }).formData();
    expect([...form.entries()]).toEqual(params);
  });
});

describe('tokenmanBrunoBody', () => {
  test.each([
    ['parsed JSON (what axios gives)', { error: 'invalid_client' }, '{"error":"invalid_client"}', true],
    ['JSON text', '{"error":"x"}', '{"error":"x"}', true],
    ['HTML text', '<html>bad gateway</html>', '<html>bad gateway</html>', false],
    ['nothing', undefined, '', false],
  ])('%s', (_, data, text, parsed) => {
    const read = h.tokenmanBrunoBody(data);
    expect(read.text).toBe(text);
    expect(read.body !== undefined).toBe(parsed);
  });
});

describe('tokenmanBrunoPutParam: the assertion signed for a "Get token" request goes where the file shows it', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJhIn0.c2ln';
  test('a form or multipart body: the first entry of that name gets the value, the rest stay as they are', () => {
    const body = [
      { name: 'grant_type', value: 'client_credentials', enabled: true },
      { name: 'client_assertion', value: '<signed by the collection script when sent>', enabled: true },
      { name: 'client_assertion', value: 'second', enabled: true },
    ];
    const before = JSON.stringify(body);
    expect(h.tokenmanBrunoPutParam('urlencoded', body, 'client_assertion', jwt)).toEqual([
      body[0],
      { name: 'client_assertion', value: jwt, enabled: true },
      body[2],
    ]);
    expect(h.tokenmanBrunoPutParam('form-data', body, 'assertion', jwt)).toEqual(body);
    expect(JSON.stringify(body)).toBe(before);
  });
  test('a JSON body, parsed by Bruno or as text: the member is set', () => {
    const body = { grant_type: 'x', assertion: '<signed>', client_id: '{{ClientId}}' };
    expect(h.tokenmanBrunoPutParam('json', body, 'assertion', jwt)).toEqual({ ...body, assertion: jwt });
    expect(h.tokenmanBrunoPutParam('json', JSON.stringify(body), 'assertion', jwt)).toEqual({
      ...body,
      assertion: jwt,
    });
  });
  test('the query encoding: the parameter in the URL, templates around it untouched', () => {
    const url =
      '{{AuthUrl}}/token?grant_type=x&assertion=<signed by the collection script when sent>&scope={{Scope}}';
    expect(h.tokenmanBrunoPutParam('query', url, 'assertion', jwt)).toBe(
      `{{AuthUrl}}/token?grant_type=x&assertion=${jwt}&scope={{Scope}}`,
    );
    expect(h.tokenmanBrunoPutParam('query', '{{AuthUrl}}/token', 'assertion', jwt)).toBe('{{AuthUrl}}/token');
  });
});

const keycloak = await loadValidSpec(
  new URL('../../fixtures/valid/credentials/keycloak-signed-jwt.yaml', import.meta.url).pathname,
);

describe('the signer bundles', () => {
  const code = (s: Spec, event: 'before-request' | 'tests') =>
    brunoScriptCode(
      event,
      buildBrunoScriptConfig(s, planTokenRequests(s), (p) => p.variant),
    );

  test('only the before-request script of a signing spec carries them, one per family its variants use', () => {
    const before = code(keycloak, 'before-request');
    expect(before).toContain('tokenman signer rsa.bundle.js');
    expect(before).toContain('tokenman signer hmac.bundle.js');
    expect(before).not.toContain('tokenman signer ec.bundle.js');
    expect(code(keycloak, 'tests')).not.toContain('tokenman signer');
    expect(code(spec, 'before-request')).not.toContain('tokenman signer');
  });

  test('the script defines a signer per family, each of which signs', async () => {
    const wrapped = `(async function () {\n${code(keycloak, 'before-request')}\nreturn tokenmanSigners;\n})()`;
    const signers = (await runInNewContext(wrapped, {})) as Record<string, (o: unknown) => string>;
    expect(Object.keys(signers).sort()).toEqual(['hmac', 'rsa']);
    const jwt = signers.hmac?.({
      alg: 'HS256',
      key: 'a shared secret of 32 bytes or more!',
      claims: { iss: 'a' },
    });
    expect(jwt?.split('.')).toHaveLength(3);
  });
});
