// Every seed spec's Bruno collection (and the golden specs', which add RFC 6749 Basic and the GET
// query style), run with the real `bru run` (@usebruno/cli, pinned in package.json) against the
// embedded token server on 127.0.0.1: good values pass with one token call, in Bruno's default
// (safe) sandbox for the whole collection and in the developer sandbox for the example requests
// alone (so the script itself fetches the token, in every encoding); a wrong secret fails the run
// with the vendor's words and sends no request without a token; a request a user adds to the folder
// (`auth: inherit`) is authorised; and the command docs/bruno.md gives (`bru run --env <variant>
// --env-var …`, the committed environment file) passes. Specs that sign assertions (the credential
// fixtures: PS256 with a certificate, RS256 and ES256 private_key_jwt, HS256 client_secret_jwt, the
// RS256 JWT-bearer grant) are signed by the collection's script in both sandboxes and accepted by the
// server, which checks each signature with the registered key, and aud, exp, iat and jti. Bruno is
// never mocked. Each `bru run` costs one to six seconds of start-up, so runs go two at a time.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { parseSpec } from '../../src/spec/load-spec.js';
import type { Spec, VariantDef } from '../../src/spec/types.js';
import { localSetup } from '../../src/verify/local-credentials.js';
import { REDACTED } from '../../src/verify/redact.js';
import { resolveBru } from '../../src/verify/run-bru.js';
import { atLeastOne } from '../support/required.js';
import {
  type BrunoRun,
  brunoTempRoot,
  runBrunoCollection,
  writeBrunoCollection,
} from '../support/run-bruno.js';
import { loadValidSpec, seedSpecFiles } from '../support/specs.js';

const specs = await Promise.all(seedSpecFiles.map((file) => loadValidSpec(file)));
const goldenDir = fileURLToPath(new URL('../fixtures/golden/', import.meta.url));
const golden = await Promise.all(
  atLeastOne(readdirSync(goldenDir).sort(), 'golden fixtures in test/fixtures/golden').map(async (name) => ({
    ...(await loadValidSpec(`${goldenDir}${name}/spec.yaml`)),
    id: name,
  })),
);
// A variant that signs an assertion has no secret to get wrong; its wrong key is proven below
// ("signed assertions") and in Newman (token-script.test.ts, vendor-assertion-faults.test.ts).
const signs = (variant: VariantDef) => variant.token.assertion?.source === 'sign';
const cases = [...specs, ...golden].flatMap((spec) => spec.variants.map((variant) => ({ spec, variant })));
const label = (spec: Spec, variant: VariantDef) => (variant.key ? `${spec.id} (${variant.key})` : spec.id);

let server: TokenServer;
let root: string;
const dirs = new Map<string, string>();
const good = new Map<string, BrunoRun>();
const scriptOnly = new Map<string, BrunoRun>();

/** The example request files of a spec's collection (no "Get token"). */
function exampleRequestFiles(spec: Spec): string[] {
  const dir = dirs.get(spec.id) ?? '';
  return readdirSync(dir).filter(
    (f) => f.endsWith('.yml') && f !== 'opencollection.yml' && !f.startsWith('get-token'),
  );
}

/** Runs jobs two at a time: bru run is a Node process of its own, and the machine is shared. */
async function twoAtATime<T>(jobs: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await (jobs[index] as () => Promise<T>)();
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

beforeAll(async () => {
  // mtls: the seed specs' x509 variants fetch their token over mutual TLS.
  server = await startTokenServer({ mtls: true });
  root = brunoTempRoot();
  for (const spec of [...specs, ...golden]) dirs.set(spec.id, writeBrunoCollection(spec, root));
  const dir = (spec: Spec) => dirs.get(spec.id) ?? '';
  const whole = cases.map(
    ({ spec, variant }) =>
      () =>
        runBrunoCollection(spec, variant, dir(spec), server),
  );
  const alone = cases.map(({ spec, variant }) => {
    const options = { paths: exampleRequestFiles(spec), sandbox: 'developer' as const };
    return () => runBrunoCollection(spec, variant, dir(spec), server, options);
  });
  const runs = await twoAtATime([...whole, ...alone]);
  cases.forEach(({ spec, variant }, index) => {
    const wholeRun = runs[index];
    const aloneRun = runs[cases.length + index];
    if (wholeRun) good.set(label(spec, variant), wholeRun);
    if (aloneRun) scriptOnly.set(label(spec, variant), aloneRun);
  });
}, 600_000);

afterAll(async () => {
  await server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('good values', () => {
  test.each(cases.map(({ spec, variant }) => label(spec, variant)))(
    '%s: bru run passes with one token call',
    (name) => {
      const run = good.get(name);
      expect(run?.failures).toEqual([]);
      expect(run?.exitCode).toBe(0);
      expect(run?.assertions.total).toBeGreaterThan(0);
      expect(run?.stats.tokenCalls).toBe(1);
      expect(run?.stats.rejectedApiCalls).toBe(0);
      expect(run?.stats.apiCalls).toBeGreaterThan(0);
    },
  );

  test.each(cases.map(({ spec, variant }) => label(spec, variant)))(
    '%s: the example requests alone get their token from the script (developer sandbox)',
    (name) => {
      const run = scriptOnly.get(name);
      expect(run?.failures).toEqual([]);
      expect(run?.exitCode).toBe(0);
      expect(run?.requests.skipped).toBe(0);
      expect(run?.stats.tokenCalls).toBe(1);
      expect(run?.stats.rejectedApiCalls).toBe(0);
      expect(run?.stats.apiCalls).toBe(run?.requests.total);
    },
  );
});

/** The first secret a spec needs, which the test makes wrong. */
function requiredSecret(spec: Spec): string {
  const secret = spec.variables.find((v) => v.secret && !v.optional);
  if (!secret) throw new Error(`${spec.id} has no required secret`);
  return secret.name;
}

describe('a wrong secret', () => {
  // The vendor's words each dialect of the embedded server answers a wrong secret with.
  const vendorWords: Record<string, RegExp> = {
    biotz: /HTTP 401 Unauthorized: invalid_grant: Invalid user credentials/,
    'ibm-api-connect': /HTTP 401 Unauthorized: Invalid username or password/,
    'sap-ai-core': /HTTP 401 Unauthorized: unauthorized: Bad credentials/,
    'sap-cloud-management': /HTTP 401 Unauthorized: unauthorized: Bad credentials/,
    'uipath-orchestrator': /HTTP 400 Bad Request: invalid_client/,
    'microsoft-entra-id':
      /HTTP 401 Unauthorized: invalid_client: AADSTS7000215: Invalid client secret provided/,
  };
  const unsigned = specs.filter((spec) => spec.variants[0] && !signs(spec.variants[0]));
  test.each(unsigned.map((spec) => spec.id))(
    '%s: bru run fails with the vendor words and sends nothing without a token',
    async (id) => {
      const spec = specs.find((s) => s.id === id) as Spec;
      const variant = spec.variants[0] as VariantDef;
      const wrong = `wrong-${requiredSecret(spec)}-value`;
      const run = await runBrunoCollection(spec, variant, dirs.get(spec.id) ?? '', server, {
        values: { [requiredSecret(spec)]: wrong },
      });
      expect(run.exitCode).not.toBe(0);
      expect(run.output).toMatch(vendorWords[id] as RegExp);
      expect(run.failures.join('\n')).toContain('the token endpoint refused');
      expect(run.failures.join('\n')).toMatch(vendorWords[id] as RegExp);
      // The example requests were never sent: not with a token, and not without one either.
      expect(run.allApiCalls).toBe(0);
    },
  );
});

describe('a request added to the folder', () => {
  test('with auth: inherit, it gets the token from the collection script', async () => {
    const spec = specs.find((s) => s.id === 'sap-ai-core') as Spec;
    const variant = spec.variants[0] as VariantDef;
    const dir = dirs.get(spec.id) ?? '';
    writeFileSync(
      join(dir, 'added-later.yml'),
      [
        'info:',
        '  name: Added later',
        '  type: http',
        '  seq: 9',
        'http:',
        '  method: GET',
        '  url: "{{AiApiUrl}}/v2/lm/deployments"',
        '  auth: inherit',
        'runtime:',
        '  scripts:',
        '    - type: tests',
        '      code: |-',
        '        test("answers 200", function () { expect(res.getStatus()).to.equal(200); });',
        '',
      ].join('\n'),
    );
    // Only the new request: no "Get token" runs first, so the script must fetch the token itself.
    const run = await runBrunoCollection(spec, variant, dir, server, { paths: ['added-later.yml'] });
    expect(run.failures).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.assertions).toEqual({ total: 1, failed: 0 });
    expect(run.stats).toEqual({ tokenCalls: 1, apiCalls: 1, rejectedApiCalls: 0 });
  });

  test('after a refused token, the next request within retryAfter (5 s) fails with the same words, unsent', async () => {
    const spec = specs.find((s) => s.id === 'sap-ai-core') as Spec;
    const variant = spec.variants[0] as VariantDef;
    const run = await runBrunoCollection(spec, variant, dirs.get(spec.id) ?? '', server, {
      values: { ClientSecret: 'wrong-client-secret' },
      paths: ['simple-llm-call.yml', 'added-later.yml'],
    });
    expect(run.exitCode).toBe(1);
    expect(run.stats.tokenCalls).toBe(1);
    expect(run.allApiCalls).toBe(0);
    expect(run.failures).toHaveLength(2);
    expect(run.failures[0]).toMatch(
      /the token endpoint refused: HTTP 401 Unauthorized: unauthorized: Bad credentials$/,
    );
    expect(run.failures[1]).toMatch(
      /^added-later › tokenman: SAP AI Core orchestration: the token endpoint refused: .*Bad credentials \(not retried for another \d s\)$/,
    );
  });
});

// U+2028 in a spec's name once made every Bruno request fail ("Unexpected token ILLEGAL") while
// the validator said nothing: the script's data carries the two separators escaped.
test('U+2028 and U+2029 in every free text of a spec: bru run passes in both sandboxes', async () => {
  const yaml = [
    'name: "Line\u2028Paragraph\u2029Vendor"',
    'description: "Say\u2028it\u2029here"',
    'variables:',
    '  AuthUrl: { description: "Base\u2028URL" }',
    '  ClientId: { default: "id\u2028one" }',
    '  ClientSecret: { secret: true }',
    'token:',
    '  url: "{{AuthUrl}}/oauth/token"',
    '  grant: client_credentials',
    '  clientAuth: body',
    '  clientId: "{{ClientId}}"',
    '  clientSecret: "{{ClientSecret}}"',
    'requests:',
    '  - name: "Call\u2029me"',
    '    url: "{{AuthUrl}}/api"',
    '    headers: { X-Note: "a\u2028b" }',
    '    expect: 200',
    '',
  ].join('\n');
  const parsed = parseSpec(yaml, 'specs/separators.yaml');
  if (!parsed.spec) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  const spec = parsed.spec;
  const variant = spec.variants[0] as VariantDef;
  const dir = writeBrunoCollection(spec, root);
  for (const sandbox of ['safe', 'developer'] as const) {
    const run = await runBrunoCollection(spec, variant, dir, server, { sandbox });
    expect(run.failures, sandbox).toEqual([]);
    expect(run.exitCode, sandbox).toBe(0);
    expect(run.stats.tokenCalls, sandbox).toBe(1);
  }
});

describe('the command docs/bruno.md gives', () => {
  test('bru run --env <variant> --env-var …: the generated environment file, secrets from the command line', async () => {
    const spec = specs.find((s) => s.id === 'sap-cloud-management') as Spec;
    const variant = spec.variants.find((v) => v.key === 'password') as VariantDef;
    const setup = localSetup(spec, variant, server.url, 'readme');
    server.register(setup.client);
    const before = server.stats(setup.client.clientId).tokenCalls;
    const envVars = Object.entries(setup.values).flatMap(([name, value]) => [
      '--env-var',
      `${name}=${value}`,
    ]);
    // Asynchronous: the embedded server answers from this process.
    const run = await promisify(execFile)(
      process.execPath,
      [resolveBru() ?? '', 'run', '--env', 'password', ...envVars],
      {
        cwd: dirs.get(spec.id),
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      },
    );
    expect(server.stats(setup.client.clientId).tokenCalls - before).toBe(1);
    // Bruno masks secrets given with --env-var in what it prints.
    expect(run.stdout).not.toContain(setup.values.Password ?? 'no password');
  });
});

// The credential fixtures that sign. Entra's and Google's name their vendor's hosts, which
// localSetup cannot point at the embedded server: the test makes those hosts variables first.
const credentialsDir = fileURLToPath(new URL('../fixtures/valid/credentials/', import.meta.url));
const SIGNING_FIXTURES: Record<string, Record<string, string>> = {
  'entra-certificate.yaml': {
    'https://login.microsoftonline.com': 'LoginUrl',
    'https://graph.microsoft.com': 'GraphUrl',
  },
  'google-service-account.yaml': {
    'https://oauth2.googleapis.com': 'OAuthUrl',
    'https://cloudresourcemanager.googleapis.com': 'ApiUrl',
  },
  'keycloak-signed-jwt.yaml': {},
  'okta-private-key-jwt.yaml': {},
  'salesforce-jwt-bearer.yaml': {},
};

/** A fixture spec with each of these origins (origin → variable name) turned into a variable. */
function withHostVariables(file: string, hosts: Record<string, string>): Spec {
  const doc = parse(readFileSync(file, 'utf8')) as {
    variables: Record<string, unknown>;
    token: { url: string };
    requests: Array<{ url: string }>;
  };
  const local = (url: string) => {
    const origin = Object.keys(hosts).find((o) => url.startsWith(`${o}/`));
    return origin ? `{{${hosts[origin]}}}${url.slice(origin.length)}` : url;
  };
  doc.variables = { ...Object.fromEntries(Object.values(hosts).map((name) => [name, {}])), ...doc.variables };
  doc.token.url = local(doc.token.url);
  for (const request of doc.requests) request.url = local(request.url);
  const { spec, problems } = parseSpec(stringify(doc), basename(file));
  if (!spec) throw new Error(`${file}: ${problems.map((p) => p.message).join('; ')}`);
  return spec;
}

describe('signed assertions', () => {
  const signing = Object.entries(SIGNING_FIXTURES).map(([file, hosts]) =>
    withHostVariables(join(credentialsDir, file), hosts),
  );
  const signingCases = signing.flatMap((spec) => spec.variants.map((variant) => ({ spec, variant })));
  const algOf = (variant: VariantDef) =>
    variant.token.assertion?.source === 'sign' ? variant.token.assertion.alg : 'none';
  const signingLabel = (spec: Spec, variant: VariantDef) => `${label(spec, variant)} ${algOf(variant)}`;
  const modes = ['whole, safe', 'alone, safe', 'alone, developer'] as const;
  const signed = new Map<string, BrunoRun>();

  beforeAll(async () => {
    for (const spec of signing) dirs.set(spec.id, writeBrunoCollection(spec, root));
    const jobs = signingCases.flatMap(({ spec, variant }) =>
      modes.map((mode) => async () => {
        const options =
          mode === 'whole, safe'
            ? { sandbox: 'safe' as const }
            : {
                paths: exampleRequestFiles(spec),
                sandbox: mode === 'alone, safe' ? ('safe' as const) : ('developer' as const),
              };
        const run = await runBrunoCollection(spec, variant, dirs.get(spec.id) ?? '', server, options);
        signed.set(`${signingLabel(spec, variant)}: ${mode}`, run);
      }),
    );
    await twoAtATime(jobs);
  }, 600_000);

  // The server refuses a bad signature, a wrong aud, an expired or future iat/exp and a replayed jti
  // (test/server/*), and gives a token only then: one token call and accepted API calls prove it.
  test.each(
    signingCases.flatMap(({ spec, variant }) => modes.map((m) => `${signingLabel(spec, variant)}: ${m}`)),
  )('%s: bru run signs, the server accepts the assertion, one token call', (name) => {
    const run = signed.get(name);
    expect(run?.failures).toEqual([]);
    expect(run?.exitCode).toBe(0);
    if (name.includes('alone')) expect(run?.requests.skipped).toBe(0);
    expect(run?.stats.tokenCalls).toBe(1);
    expect(run?.stats.rejectedApiCalls).toBe(0);
    expect(run?.stats.apiCalls).toBeGreaterThan(0);
  });

  test('every algorithm family is covered: RS256, PS256 with x5t#S256, ES256, HS256, and the JWT-bearer grant', () => {
    const algs = signingCases.map(({ variant }) => algOf(variant));
    expect(new Set(algs)).toEqual(new Set(['RS256', 'PS256', 'ES256', 'HS256']));
    const entra = signing.find((spec) => spec.id === 'entra-certificate');
    const assertion = entra?.variants[0]?.token.assertion;
    expect(assertion?.source === 'sign' && assertion.thumbprint).toBe('x5t#S256');
    expect(signingCases.some(({ variant }) => variant.token.grant.endsWith(':jwt-bearer'))).toBe(true);
  });

  test('no private key in bru output, and none in the generated files, which carry only the bundles they need', () => {
    const pemBody = /PRIVATE KEY-----(?:\\[rn]|\s)*MI[A-Za-z0-9+/]{8}/;
    for (const [name, run] of signed) {
      const keyLines = run.secretValues.flatMap((v) => v.split('\n')).filter((line) => line.length > 20);
      expect(keyLines.length, name).toBeGreaterThan(0);
      for (const line of keyLines) expect(run.output, name).not.toContain(line);
      expect(run.output, name).not.toMatch(pemBody);
      // tokenman redacts bru's output; here bru printed nothing that needed it, the key included.
      expect(run.output, name).not.toContain(REDACTED);
    }
    for (const spec of signing) {
      const dir = dirs.get(spec.id) ?? '';
      const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      for (const entry of files) {
        expect(readFileSync(join(entry.parentPath, entry.name), 'utf8')).not.toMatch(pemBody);
      }
      const collection = readFileSync(join(dir, 'opencollection.yml'), 'utf8');
      const families = [...collection.matchAll(/tokenman signer (\w+)\.bundle\.js/g)].map((m) => m[1]);
      const wanted = { RS256: 'rsa', PS256: 'rsa', ES256: 'ec', HS256: 'hmac', none: '' };
      const needed = [...new Set(spec.variants.map((v) => wanted[algOf(v)]))].filter(Boolean).sort();
      expect(families.sort(), spec.id).toEqual(needed);
    }
  });

  test('a key cut short: every request fails with the signer sentence, nothing is sent', async () => {
    const spec = signing.find((s) => s.id === 'salesforce-jwt-bearer') as Spec;
    const variant = spec.variants[0] as VariantDef;
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const lines = pem.trim().split('\n');
    const cut = [...lines.slice(0, 10), lines.at(-1)].join('\n');
    const run = await runBrunoCollection(spec, variant, dirs.get(spec.id) ?? '', server, {
      values: { PrivateKey: cut },
    });
    expect(run.exitCode).toBe(1);
    expect(run.failures).toEqual([
      'get-token › tokenman: Salesforce: could not sign the assertion: tokenman signer: the RSA private key is not a well-formed PRIVATE KEY structure (cut short or edited?).',
      'limits › tokenman: Salesforce: could not sign the assertion: tokenman signer: the RSA private key is not a well-formed PRIVATE KEY structure (cut short or edited?).',
    ]);
    expect(run.stats.tokenCalls).toBe(0);
    expect(run.allApiCalls).toBe(0);
    for (const line of cut.split('\n').filter((l) => l.length > 20)) expect(run.output).not.toContain(line);
  });

  test('a key the server does not know: signed, sent once, refused in the vendor words', async () => {
    const spec = signing.find((s) => s.id === 'okta-private-key-jwt') as Spec;
    const variant = spec.variants[0] as VariantDef;
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const run = await runBrunoCollection(spec, variant, dirs.get(spec.id) ?? '', server, {
      values: { PrivateKey: stranger },
      paths: exampleRequestFiles(spec),
    });
    expect(run.exitCode).toBe(1);
    expect(run.stats.tokenCalls).toBe(1);
    expect(run.allApiCalls).toBe(0);
    expect(run.failures).toHaveLength(1);
    expect(run.failures[0]).toMatch(/^list-users › tokenman: Okta: the token endpoint refused: HTTP 401 /);
  });
});
