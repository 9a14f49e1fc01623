// The Bruno adapter's translation of the flow's requests and answers into bru's (axios's) terms,
// and the Bruno scripts a collection carries. Whether they work in Bruno is proven by
// test/e2e/bruno-collections.test.ts with the real bru run.
import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { planSpec } from '../../src/plan/plan-spec.js';
import { tokenmanBrunoBody } from '../../src/sandbox/bruno/bruno-context.js';
import { tokenmanBrunoRequest } from '../../src/sandbox/bruno/bruno-runtime.js';
import type { Pair, SandboxRequest } from '../../src/sandbox/types.js';
import { generateBrunoArtifacts } from '../../src/targets/bruno/generate-bruno.js';
import { loadValidSpec, SPECS_DIR } from '../support/specs.js';

const params: Pair[] = [
  ['grant_type', 'password'],
  ['username', 'ada@example.com'],
  ['password', 'p&ss wörd='],
];

function request(body: SandboxRequest['body'], url = 'https://uaa.example/oauth/token'): SandboxRequest {
  return { method: 'POST', url, headers: [['Accept', 'application/json']], body };
}

describe('tokenmanBrunoRequest', () => {
  test('urlencoded: the form in the body, every status resolved, no redirect followed', () => {
    const options = tokenmanBrunoRequest(request({ encoding: 'urlencoded', params }), 30000);
    expect(options).toEqual({
      method: 'POST',
      url: 'https://uaa.example/oauth/token',
      headers: { Accept: 'application/json' },
      data: 'grant_type=password&username=ada%40example.com&password=p%26ss%20w%C3%B6rd%3D',
      timeout: 30000,
      maxRedirects: 0,
      validateStatus: null,
    });
    expect(new URLSearchParams(options.data as string).get('password')).toBe('p&ss wörd=');
  });

  test('no body (a GET, or the query encoding): nothing but the URL', () => {
    const options = tokenmanBrunoRequest(request(null, 'https://uaa.example/oauth/token?x=1'), 1);
    expect(options.url).toBe('https://uaa.example/oauth/token?x=1');
    expect(options.data).toBeUndefined();
  });

  test('json: one object of the parameters', () => {
    const options = tokenmanBrunoRequest(request({ encoding: 'json', params }), 1);
    expect(JSON.parse(options.data as string)).toEqual({
      grant_type: 'password',
      username: 'ada@example.com',
      password: 'p&ss wörd=',
    });
  });

  test('form-data: a multipart body a standard parser reads back, with its boundary in Content-Type', async () => {
    const options = tokenmanBrunoRequest(request({ encoding: 'form-data', params }), 1);
    const contentType = (options.headers as Record<string, string>)['Content-Type'] ?? '';
    expect(contentType).toMatch(/^multipart\/form-data; boundary=----tokenman[0-9a-f]+$/);
    const form = await new Response(options.data as string, {
      headers: { 'content-type': contentType },
    }).formData();
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
    const read = tokenmanBrunoBody(data);
    expect(read.text).toBe(text);
    expect(read.body !== undefined).toBe(parsed);
  });
});

const spec = await loadValidSpec(new URL('sap-cloud-management.yaml', SPECS_DIR).pathname);
const keycloak = await loadValidSpec(
  new URL('../fixtures/valid/credentials/keycloak-signed-jwt.yaml', import.meta.url).pathname,
);

/** The before-request script of a spec's Bruno collection. */
function beforeRequest(name = spec.name, of = spec): string {
  const collection = generateBrunoArtifacts(planSpec({ ...of, name })).find((artifact) =>
    artifact.fileName.endsWith('/opencollection.yml'),
  );
  const parsed = parse(collection?.content ?? '') as {
    request: { scripts: Array<{ type: string; code: string }> };
  };
  const code = parsed.request.scripts.find((script) => script.type === 'before-request')?.code;
  if (!code) throw new Error('no before-request script');
  return code;
}

/** A script as Bruno runs it: inside an async function, with what the test asks for returned. */
async function evaluate(code: string, returned: string): Promise<unknown> {
  const wrapped = `(async function () {\n${code.replace(/^await tokenman\w+\(.*\);$/m, '')}\nreturn ${returned};\n})()`;
  return runInNewContext(wrapped, {});
}

describe('the before-request script', () => {
  test('starts with what it is, then the spec data, one value a line, then the modules it runs', () => {
    const lines = beforeRequest().split('\n');
    expect(lines[0]).toMatch(/^\/\/ tokenman token script, the collection's before-request script/);
    const start = lines.indexOf('var tokenman = {');
    expect(start).toBeGreaterThan(0);
    expect(lines.slice(0, start).every((line) => line === '' || line.startsWith('//'))).toBe(true);
    const trimmed = lines.map((line) => line.trim());
    expect(trimmed).toContain('"url": "{{UaaUrl}}/oauth/token",');
    expect(trimmed).toContain('["grant_type", "password"],');
    expect(trimmed).toContain('// ---- src/sandbox/token-flow.js ----');
  });

  test('a spec string stays data: quotes, backslashes and line breaks cannot become code', async () => {
    const hostile = 'x"; globalThis.pwned = 1; "\\\n*/ }; throw 1; //\u2028';
    const data = (await evaluate(beforeRequest(hostile), 'tokenman')) as { name: string };
    expect(data.name).toBe(hostile);
  });

  test('only a signing spec carries signer bundles, one per family its variants use', async () => {
    const code = beforeRequest(keycloak.name, keycloak);
    expect(code).toContain('tokenman signer rsa.bundle.js');
    expect(code).toContain('tokenman signer hmac.bundle.js');
    expect(code).not.toContain('tokenman signer ec.bundle.js');
    expect(beforeRequest()).not.toContain('tokenman signer');
    const signers = (await evaluate(code, 'tokenmanSigners')) as Record<string, (o: unknown) => string>;
    expect(Object.keys(signers).sort()).toEqual(['hmac', 'rsa']);
    const jwt = signers.hmac?.({
      alg: 'HS256',
      key: 'a shared secret of 32 bytes or more!',
      claims: { iss: 'a' },
    });
    expect(jwt?.split('.')).toHaveLength(3);
  });
});
