import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import * as answerWords from '../../src/sandbox/answer-words.js';
import * as assertion from '../../src/sandbox/assertion.js';
import * as assertionHint from '../../src/sandbox/assertion-hint.js';
import * as discovery from '../../src/sandbox/discovery.js';
import * as expiry from '../../src/sandbox/expiry.js';
import * as networkWords from '../../src/sandbox/network-words.js';
import * as redact from '../../src/sandbox/redact.js';
import * as responsePath from '../../src/sandbox/response-path.js';
import * as template from '../../src/sandbox/template.js';
import type { SandboxAnswer, SignedAssertion } from '../../src/sandbox/types.js';
import { templateReferences } from '../../src/spec/template.js';

// The sandbox's pure functions, imported as the TypeScript stages import them: the very code every
// generated script carries (src/sandbox/assemble-script.ts takes it from the same files).
const h = {
  ...answerWords,
  ...assertion,
  ...assertionHint,
  ...discovery,
  ...expiry,
  ...networkWords,
  ...redact,
  ...responsePath,
  ...template,
};
/** A signed client assertion as the plan gives it, with what a test sets over the defaults. */
function signedAssertion(over: Partial<SignedAssertion>): SignedAssertion & { param: 'client_assertion' } {
  return {
    source: 'sign',
    alg: 'RS256',
    key: '',
    kid: '',
    certificate: '',
    thumbprint: '',
    issuer: '',
    subject: '',
    audience: '',
    scope: '',
    lifetime: 300,
    param: 'client_assertion',
    ...over,
  };
}

/** An answer with what a test gives of it; no headers. */
function answer(given: { code: number; text: string; body: unknown }): SandboxAnswer {
  return { status: '', header: () => undefined, ...given };
}

const decode = (s: string) => Buffer.from(s, 'base64').toString('utf8');
const jwt = (claims: object) =>
  `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('tokenmanResolve', () => {
  test('substitutes values byte-exact and reports names without a value', () => {
    const values: Record<string, string> = { Password: 'p"a\\s$`{{x}}', Passcode: '' };
    const missing: string[] = [];
    const out = h.tokenmanResolve('{{Password}}{{Passcode}}{{Nope}}', (n) => values[n], missing);
    expect(out).toBe('p"a\\s$`{{x}}');
    expect(missing).toEqual(['Nope']);
  });
});

// What the spec stage validates as a reference must be exactly what the script substitutes.
describe('the script reads {{Name}} exactly as src/spec/template.ts does', () => {
  const inputs = [
    '',
    'no reference',
    '{{a}}',
    'x{{a}}y{{b}}z{{a}}',
    '{{ a }}',
    '{{}}',
    '{{{a}}}',
    '{{{{a}}}}',
    '{{a}b}}',
    '{{a{b}}',
    '{a}}',
    '{{a}',
    '{{a}}}',
    '}}{{a}}{{',
    '{{a\nb}}',
    '{{$guid}}',
    '{{a.b-c_d}}',
    '{{Pass word}}',
    '{{\u540d\u524d}}',
    '{{a}}{{b',
  ];
  test.each(inputs)('%j', (input) => {
    const references = templateReferences(input);
    // A first pass with no value for any name: the script reports each reference it found, and
    // blanks exactly the spans the spec stage found (later passes leave names without a value).
    const missing: string[] = [];
    const out = h.tokenmanResolve(input, () => undefined, missing);
    expect(missing).toEqual(references.map((r) => r.name));
    let expected = input;
    for (const r of [...references].reverse())
      expected = expected.slice(0, r.index) + expected.slice(r.index + r.length);
    expect(out).toBe(expected);
  });
});

describe('tokenmanResolve resolves values that hold templates, as Postman does', () => {
  const values: Record<string, string> = {
    AuthUrl: 'https://{{Subdomain}}.authentication.{{Region}}.example',
    Subdomain: 'acme-{{Stage}}',
    Stage: 'prod',
    Region: 'eu10',
    Secret: 'a{{Unknown}}b{{}}c',
    Loop: 'x{{Loop}}',
  };
  test('nested names are resolved, a nested name without a value stays as written', () => {
    const missing: string[] = [];
    expect(h.tokenmanResolve('{{AuthUrl}}/oauth/token', (n) => values[n], missing)).toBe(
      'https://acme-prod.authentication.eu10.example/oauth/token',
    );
    expect(h.tokenmanResolve('{{Secret}}', (n) => values[n], missing)).toBe('a{{Unknown}}b{{}}c');
    expect(missing).toEqual([]);
  });
  test("only the template's own names are reported missing", () => {
    const missing: string[] = [];
    expect(h.tokenmanResolve('{{Nope}}:{{Secret}}', (n) => values[n], missing)).toBe(':a{{Unknown}}b{{}}c');
    expect(missing).toEqual(['Nope']);
  });
  test('a cycle is cut after 19 rounds, as Postman cuts it', () => {
    expect(h.tokenmanResolve('{{Loop}}', (n) => values[n])).toBe(`${'x'.repeat(19)}{{Loop}}`);
  });
});

describe('tokenmanLookup', () => {
  const body = {
    access_token: 'a',
    data: { token: 't' },
    results: [
      { name: 'x', default: false },
      { name: 'y', default: true },
    ],
  };
  test.each([
    ['access_token', 'a'],
    ['data.token', 't'],
    ['results[1].name', 'y'],
    ['results[default=true].name', 'y'],
    ['results[default=maybe].name', undefined],
    ['missing.deeper', undefined],
    ['constructor', undefined],
  ])('%s', (path, want) => {
    expect(h.tokenmanLookup(body, path)).toBe(want);
  });
});

describe('tokenmanExpiresAt', () => {
  const settings = { expiresInPath: 'expires_in', fallbackLifetime: 300 };
  const now = 1_700_000_000_000;
  test.each([
    ['expires_in wins', { expires_in: 3600 }, 'opaque', now + 3_600_000],
    ['zero falls back to the JWT exp', { expires_in: 0 }, jwt({ exp: now / 1000 + 100 }), now + 100_000],
    ['negative falls back to the JWT exp', { expires_in: -5 }, jwt({ exp: now / 1000 + 100 }), now + 100_000],
    [
      'a string falls back to the JWT exp',
      { expires_in: '3600' },
      jwt({ exp: now / 1000 + 100 }),
      now + 100_000,
    ],
    ['an exp in the past falls back to the default', {}, jwt({ exp: now / 1000 - 1 }), now + 300_000],
    ['no expiry anywhere: the default', {}, 'opaque', now + 300_000],
  ])('%s', (_, body, token, want) => {
    expect(h.tokenmanExpiresAt(body, token, settings, now, decode).at).toBe(want);
  });
});

describe('tokenmanExpiresAt caps the lifetime at a year', () => {
  const settings = { expiresInPath: 'expires_in', fallbackLifetime: 300 };
  const now = 1_700_000_000_000;
  const year = 365 * 24 * 3600 * 1000;
  test.each([
    ['expires_in past what a number holds', { expires_in: 1e306 }, 'opaque'],
    ['expires_in absurdly far', { expires_in: 1e300 }, 'opaque'],
    ['a JWT exp in the year 30000', {}, jwt({ exp: 9e11 })],
  ])('%s', (_, body, token) => {
    const expiry = h.tokenmanExpiresAt(body, token, settings, now, decode);
    expect(expiry.at).toBe(now + year);
    expect(expiry.source).toMatch(/capped at a year$/);
  });
  test('a lifetime under a year is kept', () => {
    expect(h.tokenmanExpiresAt({ expires_in: 364 * 86_400 }, 'opaque', settings, now, decode).at).toBe(
      now + 364 * 86_400_000,
    );
  });
});

describe('tokenmanRedact', () => {
  const secret = 'p@ss "word"/&+%';
  test.each([
    ['as is', secret],
    ['URL-encoded', encodeURIComponent(secret)],
    ['form-encoded', encodeURIComponent(`${secret} x`).replace(/%20/g, '+')],
    ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
  ])('blanks a secret %s', (_, form) => {
    const out = h.tokenmanRedact(`echo ${form} end`, [secret, `${secret} x`]);
    expect(out).not.toContain(form);
    expect(out).toMatch(/^echo \*\*\* end$/);
  });
  test('blanks the values of credential fields in JSON, forms and queries', () => {
    const text =
      '{"access_token":"at1","token_type":"bearer","refresh_token": "rt\\"2","id_token":"eyJcut' +
      ' client_secret=cs3&password=pw4&scope=s assertion=as5';
    expect(h.tokenmanRedact(text, [])).toBe(
      '{"access_token":"***","token_type":"bearer","refresh_token": "***","id_token":"***"',
    );
    expect(h.tokenmanBlankSecretFields('client_secret=cs3&password=pw4&scope=s assertion=as5')).toBe(
      'client_secret=***&password=***&scope=s assertion=***',
    );
  });
  test('blanks any JWT, such as a signed assertion a vendor quotes back in prose', () => {
    const assertion = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJjbGllbnQifQ.c2lnbmF0dXJl-_';
    expect(h.tokenmanRedact(`invalid_client: assertion ${assertion} has expired`, [])).toBe(
      'invalid_client: assertion *** has expired',
    );
  });
  test('leaves prose alone', () => {
    expect(h.tokenmanRedact('unauthorized: Bad credentials: account locked', [])).toBe(
      'unauthorized: Bad credentials: account locked',
    );
  });
});

describe('tokenmanRenewAt', () => {
  test('renews skew seconds early', () => {
    expect(h.tokenmanRenewAt(3_600_000, 0, 60)).toBe(3_540_000);
  });
  test('a token shorter-lived than twice the skew is still used for half its life', () => {
    expect(h.tokenmanRenewAt(2_000, 0, 60)).toBe(1_000);
  });
});

describe('tokenmanDescribeFailure', () => {
  test.each([
    [
      401,
      { error: 'unauthorized', error_description: 'Bad credentials' },
      'HTTP 401 Unauthorized: unauthorized: Bad credentials',
    ],
    [400, { error: 'invalid_client' }, 'HTTP 400 Bad Request: invalid_client'],
    [
      401,
      { status: 401, message: ['Invalid username or password'] },
      'HTTP 401 Unauthorized: Invalid username or password',
    ],
  ])('%i %j', (code, body, want) => {
    const status = code === 400 ? 'Bad Request' : 'Unauthorized';
    expect(h.tokenmanDescribeFailure(code, status, JSON.stringify(body), body)).toBe(want);
  });
  test('a non-JSON body is quoted, shortened and on one line', () => {
    const html = `<html>\n<body>${'x'.repeat(300)}</body></html>`;
    const text = h.tokenmanDescribeFailure(502, 'Bad Gateway', html, undefined);
    expect(text).toMatch(/^HTTP 502 Bad Gateway: <html> <body>x+\.\.\.$/);
    expect(text.length).toBeLessThan(160);
  });
  test('an empty body says so', () => {
    expect(h.tokenmanDescribeFailure(503, 'Service Unavailable', '', undefined)).toBe(
      'HTTP 503 Service Unavailable with an empty body',
    );
  });
});

// Megabytes of a vendor's answer once made the script outlast its time limit ("Script execution
// timed out", no report): blanking field values is quadratic in the worst case, so only a bounded
// start of an answer is ever read into a message.
describe('an answer of megabytes makes a short message, fast', () => {
  // The old code took over 8 s for 4 KB of such names and never finished 10 MB; the bound leaves a
  // loaded machine room and still fails it.
  const LIMIT_MS = 5_000;
  const timed = <T>(work: () => T): { value: T; ms: number } => {
    const t = performance.now();
    const value = work();
    return { value, ms: performance.now() - t };
  };
  test.each([
    ['a 10 MB body of one word', 'x'.repeat(10 * 1024 * 1024)],
    ['a 10 MB body of credential-like names', 'token_secret_'.repeat(800_000)],
  ])('%s', (_, body) => {
    const { value: text, ms } = timed(() => h.tokenmanDescribeFailure(401, 'Unauthorized', body, undefined));
    expect(ms).toBeLessThan(LIMIT_MS);
    expect(text.length).toBeLessThan(160);
  });
  test('a 10 MB error_description, and an answer of 400,000 fields', () => {
    const described = { error: 'x', error_description: 'd'.repeat(10 * 1024 * 1024) };
    const said = timed(() => h.tokenmanDescribeFailure(401, 'Unauthorized', '', described));
    expect(said.value.length).toBeLessThan(500);
    expect(said.ms).toBeLessThan(LIMIT_MS);
    const body = Object.fromEntries(Array.from({ length: 400_000 }, (_, i) => [`k${i}`, 'v']));
    const read = timed(() =>
      h.tokenmanReadDiscovery(
        'https://idp.example/.well-known/openid-configuration',
        answer({ code: 200, text: '', body }),
        ['token_endpoint'],
      ),
    );
    expect(read.value.error).toMatch(/\(fields: k0, k1, .*, k19 and 399980 more\)$/);
    expect(read.ms).toBeLessThan(LIMIT_MS);
  });
});

test('a JWT the vendor quotes across the cut is blanked whole, never half of it shown', () => {
  const token = `eyJhbGciOiJSUzI1NiJ9.${'p'.repeat(600)}.${'s'.repeat(342)}`;
  const body = {
    error: 'invalid_client',
    error_description: `${'w'.repeat(300)} assertion ${token} is not trusted`,
  };
  const said = h.tokenmanDescribeFailure(401, 'Unauthorized', JSON.stringify(body), body);
  expect(said).not.toContain('eyJ');
  expect(said).toContain('assertion *** is not trusted');
});

// An https discovery document naming an http token endpoint once got the client secret sent in
// clear. OpenID Connect Discovery requires https; only the loopback may stay http.
describe('tokenmanReadDiscovery: every endpoint it takes from a document is https', () => {
  const doc = 'https://idp.example/realms/r/.well-known/openid-configuration';
  const read = (endpoint: unknown, url = doc) =>
    h.tokenmanReadDiscovery(
      url,
      answer({
        code: 200,
        text: '',
        body: { issuer: url.replace(/\/\.well-known.*$/, ''), token_endpoint: endpoint },
      }),
      ['mtls_endpoint_aliases.token_endpoint', 'token_endpoint'],
    );
  test('https is taken', () => {
    expect(read('https://idp.example/token')).toEqual({ endpoint: 'https://idp.example/token' });
  });
  test.each([
    'http://idp.example/token',
    'HTTP://idp.example:8080/token?x=1',
    'http://127.0.0.1.evil.example/token',
    'http://localhost.evil.example/token',
    'http://user@evil.example/token',
  ])('%s is refused, naming it and why', (endpoint) => {
    const { error, endpoint: taken } = read(endpoint);
    expect(taken).toBeUndefined();
    expect(error).toMatch(
      /names token_endpoint http.*, which is not https: the credentials would be sent in clear, so nothing was sent/i,
    );
  });
  test.each(['http://127.0.0.1:8080/token', 'http://localhost/token', 'http://[::1]:9/token'])(
    'the loopback may stay http: %s',
    (endpoint) => {
      const url = 'http://127.0.0.1:8080/.well-known/openid-configuration';
      expect(
        h.tokenmanReadDiscovery(url, answer({ code: 200, text: '', body: { token_endpoint: endpoint } }), [
          'token_endpoint',
        ]),
      ).toEqual({
        endpoint,
      });
    },
  );
  test('a value that is no URL is named, cut short', () => {
    expect(read({ url: 'x'.repeat(1000) }).error).toMatch(
      /has a token_endpoint that is not an https URL: \{"url":"x+\.\.\.$/,
    );
  });
});

describe('tokenmanAssertionHint', () => {
  const signed = signedAssertion({ key: '{{PrivateKey}}', kid: '{{KeyId}}' });
  const clock = "the assertion's iat and exp come from this computer's clock";
  const key = 'check that PrivateKey is the private key the vendor has registered, and KeyId its key id';
  test.each([
    ['HTTP 401 Unauthorized: invalid_client: The client_assertion token is expired.', [clock]],
    [
      'HTTP 400 Bad Request: invalid_grant: Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
      [clock],
    ],
    ['HTTP 400 Bad Request: invalid_grant: expired authorization code', [clock]],
    ['HTTP 401 Unauthorized: invalid_client: The client_assertion JWT kid is invalid.', [key]],
    ['HTTP 400 Bad Request: invalid_grant: Invalid JWT Signature.', [key]],
    // Salesforce's words name no cause: both.
    ['HTTP 400 Bad Request: invalid_grant: invalid assertion', [clock, key]],
  ])('%s', (why, hints) => {
    const hint = h.tokenmanAssertionHint(why, signed);
    expect(hint.startsWith(' (')).toBe(true);
    for (const want of hints) expect(hint).toContain(want);
    if (hints.length === 1) expect(hint.split('; ')).toHaveLength(1);
  });
  test('none for words that point at neither, for a JWT made elsewhere, or when nothing was signed', () => {
    const unknownClient = 'HTTP 401 Unauthorized: invalid_client: Client authentication failed.';
    expect(h.tokenmanAssertionHint(unknownClient, signed)).toBe('');
    const expired = 'HTTP 401 Unauthorized: invalid_client: The client_assertion token is expired.';
    const given = { source: 'variable' as const, value: '{{Assertion}}', param: 'client_assertion' as const };
    expect(h.tokenmanAssertionHint(expired, given)).toBe('');
    expect(h.tokenmanAssertionHint(expired, null)).toBe('');
  });
  test('a client secret and a certificate are named as what to check', () => {
    const hs256 = signedAssertion({ alg: 'HS256', key: '{{ClientSecret}}' });
    expect(h.tokenmanAssertionHint('Signature on JWT token failed validation', hs256)).toBe(
      ' (check that ClientSecret is the secret the vendor has registered)',
    );
    const entra = signedAssertion({ alg: 'PS256', key: '{{PrivateKey}}', certificate: '{{Certificate}}' });
    expect(
      h.tokenmanAssertionHint('AADSTS700027: Client assertion contains an invalid signature.', entra),
    ).toBe(
      ' (check that PrivateKey is the private key the vendor has registered, and Certificate its certificate)',
    );
  });
});

// The signer bundles are apart: their banners hold the licences as the libraries word them.
test('the sandbox code is ASCII, so the collections that embed it stay one byte a character in memory', () => {
  const dir = new URL('../../src/sandbox/', import.meta.url);
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
    (file) => file.endsWith('.js') && !file.endsWith('.bundle.js'),
  );
  expect(files.length).toBeGreaterThan(10);
  for (const file of files) {
    const source = readFileSync(new URL(file, dir), 'utf8');
    expect(
      [...source].filter((char) => char.charCodeAt(0) > 127),
      file,
    ).toEqual([]);
  }
});

describe('tokenmanAssertionOptions', () => {
  const resolve = (template: string) =>
    template.replace(
      /\{\{(\w+)\}\}/g,
      (_, name: string) => ({ ClientId: 'app', Key: 'PEM', Cert: 'CERT' })[name] ?? '',
    );
  const base = signedAssertion({
    alg: 'PS256',
    key: '{{Key}}',
    issuer: '{{ClientId}}',
    subject: '{{ClientId}}',
    audience: 'https://login.example.com/token',
  });
  test('RFC 7523 claims, iat and exp from now, a jti; no empty kid, sub or scope', () => {
    expect(h.tokenmanAssertionOptions(base, resolve)).toEqual({
      alg: 'PS256',
      key: 'PEM',
      claims: { iss: 'app', sub: 'app', aud: 'https://login.example.com/token' },
      times: { iat: 0, exp: 300 },
      jti: true,
    });
    const bearer = h.tokenmanAssertionOptions({ ...base, subject: '', scope: 'a b' }, resolve);
    expect(bearer.claims).toEqual({ iss: 'app', aud: 'https://login.example.com/token', scope: 'a b' });
  });
  test('kid and the certificate thumbprint go in the header', () => {
    const options = h.tokenmanAssertionOptions(
      { ...base, kid: 'k1', certificate: '{{Cert}}', thumbprint: 'x5t' as const },
      resolve,
    );
    expect(options).toMatchObject({ header: { kid: 'k1' }, certificate: 'CERT', thumbprints: ['x5t'] });
  });
});

describe('tokenmanErrorText', () => {
  test('puts TLS failures in words, by Node code or by OpenSSL text, and keeps the code', () => {
    expect(h.tokenmanErrorText({ code: 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED', message: '' })).toBe(
      'the server refused the client certificate as expired: use a current one (ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED)',
    );
    expect(h.tokenmanErrorText({ message: 'error:0A000418:SSL routines::tlsv1 alert unknown ca' })).toBe(
      'the server refused the client certificate: it does not trust the CA that issued it (error:0A000418:SSL routines::tlsv1 alert unknown ca)',
    );
    expect(
      h.tokenmanErrorText({
        code: 'SELF_SIGNED_CERT_IN_CHAIN',
        message: 'self-signed certificate in certificate chain',
      }),
    ).toMatch(
      /^the server's certificate is not from a CA this client trusts: .* \(SELF_SIGNED_CERT_IN_CHAIN\)$/,
    );
  });

  test('leaves other errors as they are', () => {
    expect(h.tokenmanErrorText({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' })).toBe(
      'connect ECONNREFUSED 127.0.0.1:1',
    );
  });
});
