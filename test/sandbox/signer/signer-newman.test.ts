// The committed signer bundles inside real Newman: one item per bundle, whose pre-request script
// is the bundle followed by signing calls with keys from the environment; the item posts what
// they returned to a server on 127.0.0.1, where node:crypto and jose check every signature.
import { constants, sign, verify, X509Certificate } from 'node:crypto';
import { compactVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runNewman } from '../../../src/verify/run-newman.js';
import { type EchoServer, startEchoServer } from '../../support/echo-server.js';
import {
  bundleText,
  certificatePem,
  decodeJwt,
  type EcKey,
  ecKey,
  fingerprintToThumbprint,
  keyFragments,
  pastedForms,
  type RsaKey,
  rsaKey,
  SIGNER_FAMILIES,
  type SignerFamily,
  type SignOptions,
} from './signer-fixtures.js';

const NOW = 1_790_000_000;
const CLAIMS = { iss: 'client-1', sub: 'client-1', aud: 'https://127.0.0.1/token', note: 'é€😀"\\' };
const SECRET = 'a client secret of 32 characters';
/** Signatures per timed case: enough for a median, few enough for a shared machine. */
const TIMED = 5;

/** A signing call of the script: options without key/certificate, which come from variables. */
interface Call {
  name: string;
  keyVar: string;
  certificateVar?: string;
  options: Omit<SignOptions, 'key' | 'certificate'>;
  timed?: boolean;
}

const CALLS: Record<SignerFamily, Call[]> = {
  rsa: [
    {
      name: 'rs256Pkcs8',
      keyVar: 'RsaPkcs8',
      options: { alg: 'RS256', claims: CLAIMS, now: NOW },
      timed: true,
    },
    { name: 'rs256Pkcs1', keyVar: 'RsaPkcs1', options: { alg: 'RS256', claims: CLAIMS, now: NOW } },
    { name: 'rs256Pasted', keyVar: 'RsaPasted', options: { alg: 'RS256', claims: CLAIMS, now: NOW } },
    { name: 'ps256Pkcs8', keyVar: 'RsaPkcs8', options: { alg: 'PS256', claims: CLAIMS }, timed: true },
    {
      name: 'ps256Pkcs1',
      keyVar: 'RsaPkcs1',
      options: { alg: 'PS256', claims: CLAIMS, times: { iat: 0, exp: 300 }, jti: true },
    },
    {
      name: 'thumbprints',
      keyVar: 'RsaPkcs8',
      certificateVar: 'Certificate',
      options: { alg: 'PS256', claims: {}, thumbprints: ['x5t', 'x5t#S256'] },
    },
    { name: 'garbled', keyVar: 'RsaGarbled', options: { alg: 'RS256', claims: {} } },
  ],
  ec: [
    { name: 'es256Sec1', keyVar: 'EcSec1', options: { alg: 'ES256', claims: CLAIMS }, timed: true },
    { name: 'es256Pkcs8', keyVar: 'EcPkcs8', options: { alg: 'ES256', claims: CLAIMS } },
    { name: 'es256Pasted', keyVar: 'EcPasted', options: { alg: 'ES256', claims: CLAIMS } },
    { name: 'rsaKey', keyVar: 'RsaPkcs8', options: { alg: 'ES256', claims: {} } },
  ],
  hmac: [
    { name: 'hs256', keyVar: 'Secret', options: { alg: 'HS256', claims: CLAIMS, now: NOW }, timed: true },
  ],
};

/** The pre-request script: the bundle as it is committed, then the calls (plain ES5 on purpose). */
function preRequestScript(family: SignerFamily): string {
  return [
    'var tokenmanTestLoadStart = Date.now();',
    bundleText(family),
    'var tokenmanTestLoadMs = Date.now() - tokenmanTestLoadStart;',
    `var calls = ${JSON.stringify(CALLS[family])};`,
    `var results = { loadMs: tokenmanTestLoadMs, hasCrypto: typeof crypto !== 'undefined' };`,
    'calls.forEach(function (call) {',
    '  var options = JSON.parse(JSON.stringify(call.options));',
    '  options.key = pm.environment.get(call.keyVar);',
    '  if (call.certificateVar) options.certificate = pm.environment.get(call.certificateVar);',
    '  var result = { ms: [] };',
    `  var times = call.timed ? ${TIMED} : 1;`,
    '  for (var i = 0; i < times; i++) {',
    '    var started = Date.now();',
    '    try { result.jwt = tokenmanSignJwt(options); } catch (e) { result.error = String(e && e.message); }',
    '    result.ms.push(Date.now() - started);',
    '  }',
    '  results[call.name] = result;',
    '});',
    "pm.variables.set('signerResults', JSON.stringify(results));",
  ].join('\n');
}

interface Result {
  jwt?: string;
  error?: string;
  ms: number[];
}
type Results = Record<string, Result> & { loadMs: number; hasCrypto: boolean };

let server: EchoServer;
let rsa: RsaKey;
let ec: EcKey;
let certificate: string;
let garbledRsa: string;
const results = {} as Record<SignerFamily, Results>;

beforeAll(async () => {
  server = await startEchoServer(() => '{}');
  rsa = rsaKey();
  ec = ecKey();
  certificate = await certificatePem();
  // A key cut short in the middle: still PEM-looking, no longer a key.
  const lines = rsa.pkcs8.split('\n');
  garbledRsa = [...lines.slice(0, 10), ...lines.slice(-2)].join('\n');
  const environment = {
    RsaPkcs8: rsa.pkcs8,
    RsaPkcs1: rsa.pkcs1,
    RsaPasted: pastedForms(rsa.pkcs8)['literal \\n (JSON key file)'],
    RsaGarbled: garbledRsa,
    EcSec1: ec.sec1,
    EcPkcs8: ec.pkcs8,
    EcPasted: pastedForms(ec.sec1)['spaces instead of line breaks'],
    Certificate: certificate,
    Secret: SECRET,
  };
  const run = await runNewman({
    collection: {
      info: {
        name: 'tokenman signer bundles',
        schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
      },
      item: SIGNER_FAMILIES.map((family) => ({
        name: family,
        event: [
          { listen: 'prerequest', script: { type: 'text/javascript', exec: [preRequestScript(family)] } },
        ],
        request: {
          method: 'POST',
          url: `${server.url}/${family}`,
          header: [{ key: 'Content-Type', value: 'application/json' }],
          body: { mode: 'raw', raw: '{{signerResults}}' },
        },
      })),
    } as never,
    environment: {
      name: 'signer keys',
      values: Object.entries(environment).map(([key, value]) => ({
        key,
        value,
        type: 'secret',
        enabled: true,
      })),
    } as never,
    reporters: [],
  });
  expect(run.failures).toEqual([]);
  for (const request of server.received) {
    results[request.url.slice(1) as SignerFamily] = JSON.parse(request.body.toString('utf8'));
  }
  console.log(
    'signer timings inside Newman, ms (bundle load; each timed signature):',
    JSON.stringify(
      Object.fromEntries(
        SIGNER_FAMILIES.map((family) => [
          family,
          {
            load: results[family]?.loadMs,
            ...Object.fromEntries(
              CALLS[family].filter((c) => c.timed).map((c) => [c.name, results[family]?.[c.name]?.ms]),
            ),
          },
        ]),
      ),
    ),
  );
});

afterAll(async () => {
  await server?.close();
});

/** The JWT a call of the script returned, or the test fails with the error it gave instead. */
function jwtOf(family: SignerFamily, name: string): string {
  const result = results[family]?.[name];
  expect(result?.error, `${family}/${name}`).toBeUndefined();
  expect(result?.jwt, `${family}/${name}`).toBeTypeOf('string');
  return result?.jwt ?? '';
}

describe('inside Newman', () => {
  test('every bundle posted its results, and the sandbox had no crypto (the Math.random path ran)', () => {
    expect(Object.keys(results).sort()).toEqual([...SIGNER_FAMILIES].sort());
    // What src/sandbox/signer/README.md says about Newman: should an upgrade bring crypto into the
    // sandbox, this fails, and the README's randomness section needs updating.
    for (const family of SIGNER_FAMILIES) expect(results[family].hasCrypto).toBe(false);
  });

  test('RS256 is byte-identical to node:crypto, for PKCS#8, PKCS#1 and a pasted key', () => {
    for (const name of ['rs256Pkcs8', 'rs256Pkcs1', 'rs256Pasted']) {
      const { header, claims, signingInput, signature } = decodeJwt(jwtOf('rsa', name));
      expect(header).toEqual({ alg: 'RS256', typ: 'JWT' });
      expect(claims).toEqual(CLAIMS);
      expect(signature.equals(sign('sha256', Buffer.from(signingInput), rsa.privateKey)), name).toBe(true);
    }
  });

  test('PS256 verifies with node:crypto and jose; times and jti were added', async () => {
    for (const name of ['ps256Pkcs8', 'ps256Pkcs1']) {
      const jwt = jwtOf('rsa', name);
      const { signingInput, signature } = decodeJwt(jwt);
      const pss = { key: rsa.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
      expect(verify('sha256', Buffer.from(signingInput), pss, signature), name).toBe(true);
      await compactVerify(jwt, rsa.publicKey);
    }
    const { claims } = decodeJwt(jwtOf('rsa', 'ps256Pkcs1'));
    expect(Number(claims.exp) - Number(claims.iat)).toBe(300);
    expect(claims.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('x5t and x5t#S256 equal the X509Certificate fingerprints', async () => {
    const jwt = jwtOf('rsa', 'thumbprints');
    const { protectedHeader } = await compactVerify(jwt, rsa.publicKey);
    const x509 = new X509Certificate(certificate);
    expect(protectedHeader.x5t).toBe(fingerprintToThumbprint(x509.fingerprint));
    expect(protectedHeader['x5t#S256']).toBe(fingerprintToThumbprint(x509.fingerprint256));
  });

  test('ES256 verifies with jose for SEC1, PKCS#8 and a pasted key', async () => {
    for (const name of ['es256Sec1', 'es256Pkcs8', 'es256Pasted']) {
      const { payload, protectedHeader } = await compactVerify(jwtOf('ec', name), ec.publicKey);
      expect(protectedHeader.alg).toBe('ES256');
      expect(JSON.parse(Buffer.from(payload).toString('utf8'))).toEqual(CLAIMS);
    }
  });

  test("HS256 is byte-identical to jose's", async () => {
    const expected = await new SignJWT(CLAIMS)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode(SECRET));
    expect(jwtOf('hmac', 'hs256')).toBe(expected);
  });

  test('a damaged or wrong key gives a sentence without key material', () => {
    const garbled = results.rsa?.garbled?.error ?? '';
    expect(garbled).toBe(
      'tokenman signer: the RSA private key is not a well-formed PRIVATE KEY structure (cut short or edited?).',
    );
    const wrongKind = results.ec?.rsaKey?.error ?? '';
    expect(wrongKind).toMatch(/^tokenman signer: the EC private key is a PKCS#8 key of another algorithm/);
    for (const [message, key] of [
      [garbled, garbledRsa],
      [wrongKind, rsa.pkcs8],
    ] as const) {
      expect(keyFragments(key).find((fragment) => message.includes(fragment))).toBeUndefined();
    }
  });
});
