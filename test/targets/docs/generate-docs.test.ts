// The Markdown docs: golden files for the seed specs, and proof that their commands do what the
// collection does. Every shell block passes `bash -n`; the curl commands run against an echo server on
// 127.0.0.1 and must deliver what the collection's own request delivers with the same values.

import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { planSpec } from '../../../src/plan/plan-spec.js';
import { parseSpec } from '../../../src/spec/load-spec.js';
import { templateReferences } from '../../../src/spec/template.js';
import type { Spec } from '../../../src/spec/types.js';
import { generateDocs } from '../../../src/targets/docs/generate-docs.js';
import { generateCollection } from '../../../src/targets/postman/generate-collection.js';
import { type EchoServer, type Received, startEchoServer } from '../../support/echo-server.js';
import { atLeastOne, requireTool } from '../../support/required.js';
import { loadValidSpec, seedSpecFiles } from '../../support/specs.js';
import { startVendorServer } from '../../support/vendor-server.js';

// ---- the spec whose strings hold everything a shell could trip on ----

const NASTY_YAML = String.raw`
name: "Nasty \"quotes\" $HOME ${'`'}id${'`'} \\ spec"
description: "Strings with ' \" $ ${'`'} \\ and a\nline break | pipe"
variables:
  BaseUrl:
    description: "Where it's \"at\"; $HOME ${'`'}id${'`'} | (parens) > file"
  ClientId:
    description: "Client id, e.g. it's; mine"
  ClientSecret:
    description: The secret
    secret: true
  Username: {}
  Password:
    secret: true
  Weird:
    description: A default full of shell syntax
    default: "it's \"q\" $HOME ${'`'}id${'`'} $(id) \\ !x\nline2 EOF"
  Path:
    description: Would be PATH, which must never be overwritten
    default: /not/your/PATH
  Answer:
    optional: true
token:
  url: "{{BaseUrl}}/o!auth/$token"
  grant: password
  clientAuth: body
  clientId: "{{ClientId}}"
  clientSecret: "{{ClientSecret}}"
  username: "{{Username}}"
  password: "{{Password}}"
  params:
    literal: "it's \"q\" $HOME ${'`'}id${'`'} $(id) \\ ! & = + % ; | * ? # ~ <>\n line2 \u00fc\nEOF"
    mixed: "{{Weird}} and {{ClientId}}!"
    "we ird'key": v
    optional: "{{Answer}}"
  headers:
    X-Nasty: "it's \"q\" $HOME ${'`'}id${'`'} \\ !x {{Weird}}"
variants:
  form:
    name: Form
    token:
      encoding: urlencoded
  multipart:
    name: Multipart
    token:
      encoding: form-data
  json:
    name: JSON body
    token:
      encoding: json
      insecure: true
  query:
    name: Query
    token:
      method: GET
  basic:
    name: Basic
    token:
      clientAuth: basic
  rfc:
    name: RFC 6749 Basic
    token:
      clientAuth: basic
      basicEncoding: rfc6749
      encoding: form-data
      response:
        token: id_token
requests:
  - name: "Post it's \"nasty\""
    description: "Sends ${'`'}json${'`'} with $ and ' in it"
    url: "{{BaseUrl}}/api/it/{{Username}}"
    headers:
      X-Literal: "a'b\"c$d${'`'}e\\f!g"
    json:
      text: "it's \"q\" $HOME ${'`'}id${'`'} \\ ! \n EOF"
      user: "{{Username}}"
      list: [1, "{{Weird}}", { k: EOF }, null, true]
      "{{ClientId}}": true
  - name: Delete one
    method: DELETE
    url: "{{BaseUrl}}/api/thing?x={{Username}}"
    expect: 204
`;

function nastySpec(): Spec {
  const { spec, problems } = parseSpec(NASTY_YAML, 'specs/nasty-docs.yaml');
  if (!spec) throw new Error(problems.map((p) => p.message).join('; '));
  return spec;
}

const goldenDir = new URL('../../fixtures/golden/', import.meta.url);
const goldenSpecFiles = atLeastOne(readdirSync(goldenDir), 'golden fixtures in test/fixtures/golden').map(
  (dir) => new URL(`${dir}/spec.yaml`, goldenDir).pathname,
);

async function allSpecs(): Promise<Spec[]> {
  const seeds = await Promise.all(seedSpecFiles.map(loadValidSpec));
  // Golden specs are named after their folder (spec.yaml would make every id "spec").
  const golden = await Promise.all(
    goldenSpecFiles.map(async (file) => ({
      ...(await loadValidSpec(file)),
      id: file.split('/').at(-2) ?? '',
    })),
  );
  return [...seeds, ...golden, nastySpec()];
}

// ---- reading the document as a person does ----

interface Block {
  /** The `## ` heading the block is under. */
  section: string;
  /** The last line of prose before the block ("With curl:"). */
  label: string;
  code: string;
}

function blocksOf(doc: string): Block[] {
  const blocks: Block[] = [];
  const lines = doc.split('\n');
  let section = '';
  let label = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = /^(`{3,})sh$/.exec(line);
    if (fence) {
      const end = lines.indexOf(fence[1] ?? '```', i + 1);
      blocks.push({ section, label, code: lines.slice(i + 1, end).join('\n') });
      i = end;
    } else if (line.startsWith('## ')) {
      section = line.slice(3);
    } else if (line.trim()) {
      label = line;
    }
  }
  return blocks;
}

function block(doc: string, section: string, label: string): string {
  const found = blocksOf(doc).filter((b) => b.section === section && b.label.startsWith(label));
  if (found.length !== 1) throw new Error(`${found.length} blocks "${label}" under "${section}"`);
  return found[0]?.code ?? '';
}

interface VariableRow {
  variable: string;
  shell: string;
  secret: boolean;
}

/** The Variables table: spec variable → shell variable, as the reader learns it. */
function variableRows(doc: string): VariableRow[] {
  return [...doc.matchAll(/^\| `([^`]+)` \| `([^`]+)` \| .*? \| (yes|no) \| .*\|$/gm)].map((m) => ({
    variable: m[1] ?? '',
    shell: m[2] ?? '',
    secret: m[3] === 'yes',
  }));
}

function tokenSection(spec: Spec, index: number): string {
  const variant = spec.variants[index];
  return spec.variants.length > 1 ? `Get a token (${variant?.name})` : 'Get a token';
}

// ---- running bash and an echo server ----

const HOST_PATH = process.env.PATH ?? '/usr/bin:/bin';

interface BashResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** bash -c with only the given variables (and PATH); async, so the echo server in this process answers. */
function bash(script: string, env: Record<string, string> = {}, stdin = ''): Promise<BashResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], {
      env: { PATH: HOST_PATH, HOME: '/nonexistent-home', LANG: 'C.UTF-8', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    // A script that never reads stdin may exit before it is written: that EPIPE is not a failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
  });
}

function syntaxCheck(code: string): BashResult {
  const result = spawnSync('bash', ['-n'], { input: code, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Answers every request like a token endpoint, an identity provider list and an API at once.
const ANSWER = JSON.stringify({
  access_token: 'tok-access',
  id_token: 'tok-id',
  token_type: 'Bearer',
  expires_in: 300,
  results: [
    { name: 'idp-other', default: false },
    { name: 'idp-default', default: true },
  ],
});

let echo: EchoServer;
let base = '';
let received: Received[] = [];

beforeAll(async () => {
  echo = await startEchoServer(() => ANSWER);
  base = echo.url;
  received = echo.received;
});

afterAll(() => echo.close());

/** Runs a block and returns the one request it sent. */
async function sentBy(code: string, env: Record<string, string>): Promise<Received> {
  const before = received.length;
  const result = await bash(code, env);
  expect(result.status, result.stderr).toBe(0);
  expect(received.length - before, 'requests sent').toBe(1);
  return received[received.length - 1] as Received;
}

// ---- test values: what a person would export ----

const NASTY_VALUE = (name: string) => `${name} it's "q" $HOME \`id\` $(id) \\ ! & = + % ; | * ? # ~ <>`;

function urls(spec: Spec): string[] {
  return [
    ...spec.variants.map((v) => v.token.url),
    ...spec.preSteps.map((s) => s.url),
    ...spec.requests.map((r) => r.url),
  ];
}

/**
 * A value per spec variable: the echo server for one that starts a URL, a plain word for one inside a
 * URL (curl and Postman encode paths differently), shell syntax for everything else.
 */
function testValues(spec: Spec): Record<string, string> {
  const starters = new Set(urls(spec).flatMap((url) => templateReferences(url).filter((r) => r.index === 0)));
  const starterNames = new Set([...starters].map((r) => r.name));
  const inUrls = new Set(urls(spec).flatMap((url) => templateReferences(url).map((r) => r.name)));
  const values: Record<string, string> = {};
  for (const v of spec.variables) {
    values[v.name] = starterNames.has(v.name)
      ? base
      : inUrls.has(v.name)
        ? `u-${v.name}`
        : NASTY_VALUE(v.name);
  }
  return values;
}

function resolver(values: Record<string, string>) {
  return (template: string) => template.replace(/\{\{([^{}]*)\}\}/g, (_, name: string) => values[name] ?? '');
}

/** The shell environment for the values: each spec variable under its shell name from the table. */
function shellEnv(doc: string, values: Record<string, string>, extra: Record<string, string> = {}) {
  const env: Record<string, string> = {};
  for (const row of variableRows(doc)) env[row.shell] = values[row.variable] ?? '';
  return { ...env, ...extra };
}

type Pair = { key: string; value: string };
interface CollectionRequest {
  method: string;
  /** The URL's template: a v2.1 URL object's raw URL. */
  url: string | { raw: string };
  header: Pair[];
  auth?: { type: string; basic?: Pair[] };
  body?: { mode: string; urlencoded?: Pair[]; formdata?: Pair[]; raw?: string };
}

type CollectionItem = { request: CollectionRequest; item?: CollectionItem[] };

/** The collection's requests in order, a folder's (several variants' "Get token") opened. */
function collectionRequests(spec: Spec): CollectionRequest[] {
  const collection = generateCollection(planSpec(spec)) as { item: CollectionItem[] };
  const requests = (items: CollectionItem[]): CollectionRequest[] =>
    items.flatMap((item) => (item.item ? requests(item.item) : [item.request]));
  return requests(collection.item);
}

function rawUrl(url: CollectionRequest['url']): string {
  return typeof url === 'string' ? url : url.raw;
}

function pathOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

function expectHeaders(got: IncomingHttpHeaders, expected: Pair[], resolve: (t: string) => string) {
  for (const { key, value } of expected) {
    expect(got[key.toLowerCase()], `header ${key}`).toBe(resolve(value));
  }
}

/** What the form decoding of RFC 6749 makes of one half of the Basic credentials. */
function formDecode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

// ---- the tests ----

describe.each(seedSpecFiles)('%s', (file) => {
  test('generates the golden document', async () => {
    const spec = await loadValidSpec(file);
    await expect(generateDocs(planSpec(spec))).toMatchFileSnapshot(`../fixtures/docs/${spec.id}.md`);
  });
});

describe('every document', () => {
  test('is deterministic, LF only, with one final newline', async () => {
    for (const spec of await allSpecs()) {
      const doc = generateDocs(planSpec(spec));
      expect(generateDocs(planSpec(structuredClone(spec)))).toBe(doc);
      expect(doc).not.toMatch(/\r/);
      expect(doc.endsWith('\n') && !doc.endsWith('\n\n')).toBe(true);
    }
  });

  test('has only shell blocks bash can parse (curl, HTTPie and the rest)', async () => {
    for (const spec of await allSpecs()) {
      const blocks = blocksOf(generateDocs(planSpec(spec)));
      expect(blocks.length).toBeGreaterThan(4);
      for (const { section, label, code } of blocks) {
        const result = syntaxCheck(code);
        expect(result.status, `${spec.id} / ${section} / ${label}\n${result.stderr}\n${code}`).toBe(0);
      }
    }
  });

  test(`never gives a secret a value: secret variables appear only as \${VAR} or in read -rs`, async () => {
    for (const spec of await allSpecs()) {
      const plan = planSpec(spec);
      const doc = generateDocs(plan);
      const rows = variableRows(doc);
      // The spec's variables, then those its API document brings.
      expect(rows.map((r) => r.variable)).toEqual(plan.variables.map((v) => v.name));
      const code = blocksOf(doc)
        .map((b) => b.code)
        .join('\n');
      for (const row of rows.filter((r) => r.secret)) {
        // By construction a secret has no default to leak; the docs must not invent one either.
        expect(plan.variables.find((v) => v.name === row.variable)?.default).toBe('');
        const uses = [...code.matchAll(new RegExp(`(^|.{0,9})\\b${row.shell}\\b(.?)`, 'gm'))];
        expect(uses.length, `${spec.id}: ${row.shell} is used`).toBeGreaterThan(0);
        for (const [use, before = '', after = ''] of uses) {
          const expanded = before.endsWith('${') && after === '}';
          const read = before.endsWith('read -rs ');
          expect(expanded || read, `${spec.id}: ${use}`).toBe(true);
        }
        expect(doc).not.toMatch(new RegExp(`\\b(export\\s+)?${row.shell}=`));
        expect(doc).toContain(`read -rs ${row.shell}`);
      }
    }
  });

  test('never overwrites a variable the shell relies on', () => {
    const doc = generateDocs(planSpec(nastySpec()));
    const shells = variableRows(doc).map((r) => r.shell);
    expect(shells).toContain('MY_PATH');
    expect(shells).toContain('MY_USERNAME');
    expect(shells).toContain('MY_ANSWER');
    expect(shells).not.toContain('PATH');
    expect(shells).not.toContain('USERNAME');
  });
});

describe('the Variables block', () => {
  test('sets each default exactly, reads secrets from the prompt and exports none of them', async () => {
    const spec = nastySpec();
    const doc = generateDocs(planSpec(spec));
    const rows = variableRows(doc);
    const secrets = rows.filter((r) => r.secret);
    const stdin = secrets.map((r) => `typed $ ' " \\ ${r.shell}\n`).join('');
    const print = rows.map((r) => `"\${${r.shell}}"`).join(' ');
    // The prompts go to the terminal (stdout); only the values are read back.
    const script = `{\n${block(doc, 'Variables', 'Set them')}\n} >/dev/null\nprintf '%s\\0' ${print}\nenv`;
    const result = await bash(script, {}, stdin);
    expect(result.status, result.stderr).toBe(0);
    const values = result.stdout.split('\0');
    const env = values.pop() ?? '';
    rows.forEach((row, index) => {
      const variable = spec.variables.find((v) => v.name === row.variable);
      if (row.secret) expect(values[index]).toBe(`typed $ ' " \\ ${row.shell}`);
      else if (variable?.default) expect(values[index]).toBe(variable.default);
      else if (variable?.optional) expect(values[index]).toBe('');
      else expect(values[index]).toMatch(/^<.+>$/);
    });
    for (const row of secrets) expect(env).not.toContain(`${row.shell}=`);
  });
});

describe('the curl commands send what the collection sends', () => {
  beforeAll(() => requireTool('curl', 'these tests run the curl commands the page gives'));

  test.each([0, 1, 2, 3, 4, 5])('nasty spec, variant %i', async (index) => {
    await expectTokenRequest(nastySpec(), index);
  });

  test('every seed and golden spec, every variant', async () => {
    for (const spec of await allSpecs()) {
      for (let index = 0; index < spec.variants.length; index++) await expectTokenRequest(spec, index);
    }
  });

  test('every example request of every spec', async () => {
    for (const spec of await allSpecs()) {
      const doc = generateDocs(planSpec(spec));
      const values = testValues(spec);
      const resolve = resolver({ ...values, Token: 'tok-example' });
      const requests = collectionRequests(spec).slice(spec.variants.length);
      for (const [index, request] of spec.requests.entries()) {
        const expected = requests[index] as CollectionRequest;
        const got = await sentBy(
          block(doc, request.name, 'With curl:'),
          shellEnv(doc, values, { TOKEN: 'tok-example' }),
        );
        expect(got.method).toBe(expected.method);
        expect(got.url).toBe(
          pathOf(resolve(typeof expected.url === 'string' ? expected.url : expected.url.raw)),
        );
        expect(got.headers.authorization).toBe('Bearer tok-example');
        expectHeaders(got.headers, expected.header, resolve);
        // The here-document ends with a newline, which JSON ignores.
        const body = expected.body?.raw === undefined ? '' : `${resolve(expected.body.raw)}\n`;
        expect(got.body.toString('utf8')).toBe(body);
      }
    }
  });
});

describe('the jq steps', () => {
  beforeAll(() => {
    requireTool('curl', 'these tests run the curl commands the page gives');
    requireTool('jq', 'these tests run the jq steps the page gives');
  });

  test('keep the token from the field the spec names', async () => {
    for (const spec of await allSpecs()) {
      const doc = generateDocs(planSpec(spec));
      for (const [index, variant] of spec.variants.entries()) {
        const section = tokenSection(spec, index);
        const env = shellEnv(doc, testValues(spec));
        const encode =
          variant.token.basicEncoding === 'rfc6749' ? block(doc, section, 'This endpoint wants') : '';
        const result = await bash(
          `${encode}\n${block(doc, section, 'The answer is JSON')}\nprintf %s "$TOKEN"`,
          env,
        );
        expect(result.status, result.stderr).toBe(0);
        expect(result.stdout).toBe(variant.token.tokenPath === 'id_token' ? 'tok-id' : 'tok-access');
      }
    }
  });

  test('OpenID Connect discovery keeps the token URL the document names, the mTLS alias first for tls', async () => {
    const aliased = {
      token_endpoint: 'https://a.example/token',
      mtls_endpoint_aliases: { token_endpoint: 'https://m.example/token' },
    };
    let document: object = aliased;
    const issuer = await startVendorServer(() => ({ body: JSON.stringify(document) }));
    try {
      const load = async (name: string) =>
        loadValidSpec(new URL(`../../fixtures/valid/discovery/${name}`, import.meta.url).pathname);
      const keep = async (spec: Spec) => {
        const doc = generateDocs(planSpec(spec));
        const values = { ...testValues(spec), AuthUrl: issuer.url, KeycloakUrl: issuer.url };
        const code = block(doc, tokenSection(spec, 0), 'To keep the token URL');
        const result = await bash(`${code}\nprintf %s "$TOKEN_ENDPOINT"`, shellEnv(doc, values));
        expect(result.status, result.stderr).toBe(0);
        return result.stdout;
      };
      const tls = await load('sap-x509-discovery.yaml');
      expect(await keep(tls)).toBe('https://m.example/token');
      expect(await keep(await load('keycloak-discovery.yaml'))).toBe('https://a.example/token');
      document = { token_endpoint: 'https://a.example/token' };
      expect(await keep(tls)).toBe('https://a.example/token');
      expect(issuer.paths).toEqual([
        '/.well-known/openid-configuration',
        '/realms/u-Realm/.well-known/openid-configuration',
        '/.well-known/openid-configuration',
      ]);
    } finally {
      await issuer.close();
    }
  });

  test("API Connect's realm discovery picks the default identity provider, unless one is set", async () => {
    const spec = await loadValidSpec(seedSpecFiles.find((f) => f.endsWith('ibm-api-connect.yaml')) ?? '');
    const doc = generateDocs(planSpec(spec));
    const discover = block(doc, tokenSection(spec, 0), 'From that answer');
    const values = testValues(spec);
    const before = received.length;
    const found = await bash(
      `${discover}\nprintf %s "$APIC_REALM"`,
      shellEnv(doc, { ...values, ApicRealm: '' }),
    );
    expect(found.status, found.stderr).toBe(0);
    expect(found.stdout).toBe('idp-default');
    expect(received.at(-1)?.url).toBe(`/api/cloud/${values.ApicScope}/identity-providers`);
    expect(received.at(-1)?.headers.accept).toBe('application/json');

    const kept = await bash(
      `${discover}\nprintf %s "$APIC_REALM"`,
      shellEnv(doc, { ...values, ApicRealm: 'mine' }),
    );
    expect(kept.stdout).toBe('mine');
    expect(received.length - before).toBe(1);
  });
});

/** Runs a variant's curl command and compares what arrived with the collection's Get token request. */
async function expectTokenRequest(spec: Spec, index: number): Promise<void> {
  const variant = spec.variants[index];
  if (!variant) throw new Error(`no variant ${index}`);
  const token = variant.token;
  const doc = generateDocs(planSpec(spec));
  const section = tokenSection(spec, index);
  const values = testValues(spec);
  const resolve = resolver(values);
  const expected = collectionRequests(spec)[index] as CollectionRequest;
  const rfc = token.clientAuth === 'basic' && token.basicEncoding === 'rfc6749';
  const code = `${rfc ? `${block(doc, section, 'This endpoint wants')}\n` : ''}${block(doc, section, 'With curl:')}`;
  const got = await sentBy(code, shellEnv(doc, values));
  const label = `${spec.id} / ${variant.key}`;

  expect(got.method, label).toBe(expected.method);
  expectHeaders(got.headers, expected.header, resolve);

  if (token.encoding === 'query') {
    // The collection's URL holds the query as a template; the script sends the planned parameters,
    // resolved, an optional scope that resolves to nothing left out.
    const params = (planSpec(spec).variants[index]?.token.params ?? [])
      .map(([name, value]) => [name, resolve(value)])
      .filter(([name, value]) => name !== 'scope' || value);
    const url = new URL(got.url, base);
    expect(url.pathname, label).toBe(new URL(resolve(token.url)).pathname);
    expect([...url.searchParams], label).toEqual(params);
  } else {
    expect(got.url, label).toBe(pathOf(resolve(rawUrl(expected.url))));
  }

  const authorization = got.headers.authorization ?? '';
  if (token.clientAuth !== 'basic') {
    expect(authorization, label).toBe('');
  } else {
    const credentials = Buffer.from(authorization.replace(/^Basic /, ''), 'base64').toString('utf8');
    const colon = credentials.indexOf(':');
    const [id, secret] = [credentials.slice(0, colon), credentials.slice(colon + 1)];
    if (rfc) {
      // The script form-urlencodes both (RFC 6749 section 2.3.1); any form decoder reads them back.
      expect([formDecode(id), formDecode(secret)], label).toEqual([
        resolve(token.clientId),
        resolve(token.clientSecret),
      ]);
      expect(id, label).not.toBe(resolve(token.clientId));
    } else {
      const basic = expected.auth?.basic ?? [];
      const user = basic.find((p) => p.key === 'username')?.value ?? '';
      const password = basic.find((p) => p.key === 'password')?.value ?? '';
      expect([id, secret], label).toEqual([resolve(user), resolve(password)]);
    }
  }

  const body = expected.body;
  const resolvedPairs = (pairs: Pair[] = []) => pairs.map((p) => [p.key, resolve(p.value)]);
  if (token.encoding === 'urlencoded') {
    expect(got.headers['content-type'], label).toBe('application/x-www-form-urlencoded');
    expect([...new URLSearchParams(got.body.toString('utf8'))], label).toEqual(
      resolvedPairs(body?.urlencoded),
    );
  } else if (token.encoding === 'form-data') {
    const form = await new Response(got.body, {
      headers: { 'content-type': got.headers['content-type'] ?? '' },
    }).formData();
    expect(
      [...form].map(([key, value]) => [key, String(value)]),
      label,
    ).toEqual(resolvedPairs(body?.formdata));
  } else if (token.encoding === 'json') {
    expect(got.body.toString('utf8'), label).toBe(`${resolve(body?.raw ?? '')}\n`);
  } else {
    expect(got.body.length, label).toBe(0);
  }
}
