// The committed signer bundles, run in Node in a bare vm context (no crypto, TextEncoder, Buffer,
// as in Newman's sandbox), checked against node:crypto and jose. signer-newman.test.ts runs the
// same bundles inside real Newman.
import { constants, createPrivateKey, sign, verify, webcrypto, X509Certificate } from 'node:crypto';
import { compactVerify, SignJWT } from 'jose';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  certificatePem,
  decodeJwt,
  ecKey,
  fingerprintToThumbprint,
  keyFragments,
  loadSigner,
  pastedForms,
  type RsaKey,
  rsaKey,
} from './signer-fixtures.js';

const NOW = 1_790_000_000;
const CLAIMS = { iss: 'client-1', sub: 'client-1', aud: 'https://127.0.0.1/token', note: 'é€😀"\\\n' };

let rsa: RsaKey;
let certificate: string;
beforeAll(async () => {
  rsa = rsaKey();
  certificate = await certificatePem();
});

/** The bundles as Newman has them (no crypto: Math.random) and as the Postman app has them. */
const HOSTS = {
  'no crypto (Newman)': {},
  'crypto.getRandomValues (Postman app)': { crypto: webcrypto },
};

describe('RS256', () => {
  test.each(['pkcs8', 'pkcs1'] as const)('is byte-identical to node:crypto for a 2048-bit %s key', (form) => {
    const signJwt = loadSigner('rsa');
    const jwt = signJwt({ alg: 'RS256', key: rsa[form], claims: CLAIMS, now: NOW });
    const { header, claims, signingInput, signature } = decodeJwt(jwt);
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(claims).toEqual(CLAIMS);
    expect(signature.equals(sign('sha256', Buffer.from(signingInput), rsa.privateKey))).toBe(true);
  });

  test('reads the key as users paste it', () => {
    const signJwt = loadSigner('rsa');
    const expected = signJwt({ alg: 'RS256', key: rsa.pkcs8, claims: CLAIMS });
    for (const [form, key] of Object.entries({ ...pastedForms(rsa.pkcs8), ...pastedForms(rsa.pkcs1) })) {
      expect(signJwt({ alg: 'RS256', key, claims: CLAIMS }), form).toBe(expected);
    }
  });

  test('jose verifies it, header members given and thumbprints included', async () => {
    const signJwt = loadSigner('rsa');
    const jwt = signJwt({
      alg: 'RS256',
      key: rsa.pkcs1,
      claims: CLAIMS,
      header: { kid: 'key-1' },
      certificate,
      thumbprints: ['x5t', 'x5t#S256'],
    });
    const { protectedHeader } = await compactVerify(jwt, rsa.publicKey);
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: 'key-1' });
  });
});

describe('PS256', () => {
  test.each(Object.entries(HOSTS))('verifies with node:crypto and jose, host with %s', async (_, globals) => {
    const signJwt = loadSigner('rsa', globals);
    for (const key of [rsa.pkcs8, rsa.pkcs1]) {
      const jwt = signJwt({ alg: 'PS256', key, claims: CLAIMS, now: NOW });
      const { signingInput, signature } = decodeJwt(jwt);
      const pss = { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
      expect(verify('sha256', Buffer.from(signingInput), pss, signature)).toBe(true);
      const { payload } = await compactVerify(jwt, rsa.publicKey);
      expect(JSON.parse(Buffer.from(payload).toString('utf8'))).toEqual(CLAIMS);
      // A fresh salt each time: the same input never gives the same signature twice.
      expect(signJwt({ alg: 'PS256', key, claims: CLAIMS, now: NOW })).not.toBe(jwt);
    }
  });
});

describe('ES256', () => {
  const ec = ecKey();
  // What `openssl ecparam -genkey` writes before a SEC1 key: the curve OID as its own block.
  const withParameters = `-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n${ec.sec1}`;

  test.each(Object.entries({ SEC1: ec.sec1, PKCS8: ec.pkcs8, 'SEC1 after EC PARAMETERS': withParameters }))(
    'jose verifies a signature with a %s P-256 key',
    async (_, key) => {
      const signJwt = loadSigner('ec');
      const jwt = signJwt({ alg: 'ES256', key, claims: CLAIMS, header: { kid: 'ec-1' }, certificate });
      const { protectedHeader, payload } = await compactVerify(jwt, ec.publicKey);
      expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'JWT', kid: 'ec-1' });
      expect(JSON.parse(Buffer.from(payload).toString('utf8'))).toEqual(CLAIMS);
      // JWS wants r||s, 64 bytes, not DER.
      expect(decodeJwt(jwt).signature).toHaveLength(64);
    },
  );

  test('reads a SEC1 key whose encoder dropped the leading zero byte of the scalar', async () => {
    let key = ecKey();
    let d = Buffer.from(key.privateKey.export({ format: 'jwk' }).d ?? '', 'base64url');
    for (let tries = 0; d[0] !== 0 && tries < 20_000; tries++) {
      key = ecKey();
      d = Buffer.from(key.privateKey.export({ format: 'jwk' }).d ?? '', 'base64url');
    }
    expect(d[0]).toBe(0);
    // ECPrivateKey { version 1, privateKey OCTET STRING (31 bytes), [0] prime256v1 }
    const der = Buffer.concat([
      Buffer.from('3030020101041f', 'hex'),
      d.subarray(1),
      Buffer.from('a00a06082a8648ce3d030107', 'hex'),
    ]);
    const pem = `-----BEGIN EC PRIVATE KEY-----\n${der.toString('base64')}\n-----END EC PRIVATE KEY-----\n`;
    const jwt = loadSigner('ec')({ alg: 'ES256', key: pem, claims: CLAIMS });
    await compactVerify(jwt, key.publicKey);
  });

  test('reads the key as users paste it, and is deterministic (RFC 6979)', () => {
    const signJwt = loadSigner('ec');
    const expected = signJwt({ alg: 'ES256', key: ec.pkcs8, claims: CLAIMS, now: NOW });
    for (const [form, key] of Object.entries({ ...pastedForms(ec.sec1), ...pastedForms(ec.pkcs8) })) {
      expect(signJwt({ alg: 'ES256', key, claims: CLAIMS, now: NOW }), form).toBe(expected);
    }
  });
});

describe('HS256', () => {
  test("is byte-identical to jose's", async () => {
    const signJwt = loadSigner('hmac');
    for (const secret of ['a client secret of 32 characters', 'sécrét-€-😀']) {
      const expected = await new SignJWT(CLAIMS)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'h1' })
        .sign(new TextEncoder().encode(secret));
      expect(signJwt({ alg: 'HS256', key: secret, claims: CLAIMS, header: { kid: 'h1' } })).toBe(expected);
    }
  });
});

describe('certificate thumbprints', () => {
  test.each(['rsa', 'ec'] as const)('equal X509Certificate fingerprints (%s bundle)', (family) => {
    const signJwt = loadSigner(family);
    const key = family === 'rsa' ? rsa.pkcs8 : ecKey().pkcs8;
    const alg = family === 'rsa' ? 'RS256' : 'ES256';
    const x509 = new X509Certificate(certificate);
    const both = decodeJwt(
      signJwt({
        alg,
        key,
        claims: {},
        certificate: pastedForms(certificate)['literal \\n (JSON key file)'] ?? '',
        thumbprints: ['x5t', 'x5t#S256'],
      }),
    ).header;
    expect(both.x5t).toBe(fingerprintToThumbprint(x509.fingerprint));
    expect(both['x5t#S256']).toBe(fingerprintToThumbprint(x509.fingerprint256));
    // Without a list only the SHA-256 one, which current vendors (Entra) ask for.
    const byDefault = decodeJwt(signJwt({ alg, key, claims: {}, certificate })).header;
    expect(byDefault).toEqual({ alg, typ: 'JWT', 'x5t#S256': both['x5t#S256'] });
  });
});

describe('across many keys', () => {
  // Key sizes change the DER (length bytes, leading zeros of n and d) and the signature length.
  test('RS256 equals node:crypto and PS256 verifies for RSA keys of 2048, 3072 and 4096 bits', () => {
    const signJwt = loadSigner('rsa');
    for (const bits of [2048, 2048, 2048, 2048, 3072, 4096]) {
      const key = rsaKey(bits);
      for (const form of ['pkcs8', 'pkcs1'] as const) {
        const rs = decodeJwt(signJwt({ alg: 'RS256', key: key[form], claims: CLAIMS }));
        const expected = sign('sha256', Buffer.from(rs.signingInput), key.privateKey);
        expect(rs.signature.equals(expected), `${bits} bits, ${form}`).toBe(true);
        const ps = decodeJwt(signJwt({ alg: 'PS256', key: key[form], claims: CLAIMS }));
        const pss = { key: key.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
        expect(
          verify('sha256', Buffer.from(ps.signingInput), pss, ps.signature),
          `${bits} bits, ${form}`,
        ).toBe(true);
      }
    }
  });

  test('ES256 verifies with node:crypto for 40 P-256 keys, SEC1 and PKCS#8', () => {
    const signJwt = loadSigner('ec');
    for (let i = 0; i < 40; i++) {
      const key = ecKey();
      const { signingInput, signature } = decodeJwt(
        signJwt({ alg: 'ES256', key: i % 2 ? key.sec1 : key.pkcs8, claims: { ...CLAIMS, i } }),
      );
      const ieee = { key: key.publicKey, dsaEncoding: 'ieee-p1363' as const };
      expect(verify('sha256', Buffer.from(signingInput), ieee, signature), `key ${i}`).toBe(true);
    }
  });
});

describe('claims the signer adds', () => {
  test('times are offsets from now, jti a fresh UUID v4, and claims given win', () => {
    const signJwt = loadSigner('hmac');
    const first = decodeJwt(
      signJwt({
        alg: 'HS256',
        key: 's',
        claims: { iss: 'c', exp: 5 },
        now: NOW,
        times: { iat: 0, nbf: -10, exp: 300 },
        jti: true,
      }),
    ).claims;
    expect(first).toMatchObject({ iat: NOW, nbf: NOW - 10, exp: 5, iss: 'c' });
    expect(first.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const second = decodeJwt(signJwt({ alg: 'HS256', key: 's', claims: {}, jti: true })).claims;
    expect(second.jti).not.toBe(first.jti);
    expect(Object.keys(decodeJwt(signJwt({ alg: 'HS256', key: 's', claims: { a: 1 } })).claims)).toEqual([
      'a',
    ]);
  });
});

describe('a wrong or damaged key', () => {
  // Each case: the key given, and what the message must say. Built lazily: keys come from beforeAll.
  function cases(): Array<[string, 'rsa' | 'ec', string, RegExp]> {
    const ec = ecKey();
    const body = rsa.pkcs8.split('\n');
    const truncated = [...body.slice(0, 8), ...body.slice(-2)].join('\n');
    // One base64 character changed in the middle of n: still base64, still DER.
    const middle = Math.floor(rsa.pkcs1.length / 3);
    const flipped = `${rsa.pkcs1.slice(0, middle)}${rsa.pkcs1[middle] === 'A' ? 'B' : 'A'}${rsa.pkcs1.slice(middle + 1)}`;
    const jwk = rsa.privateKey.export({ format: 'jwk' });
    const otherD = rsaKey().privateKey.export({ format: 'jwk' }).d ?? '';
    const mismatched = createPrivateKey({ key: { ...jwk, d: otherD }, format: 'jwk' })
      .export({ type: 'pkcs1', format: 'pem' })
      .toString();
    return [
      ['empty', 'rsa', '', /the RSA private key is empty or not set/],
      [
        'not PEM',
        'rsa',
        'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
        /is not PEM text; expected a block from -----BEGIN PRIVATE KEY-----/,
      ],
      ['cut short', 'rsa', truncated, /not a well-formed PRIVATE KEY structure/],
      [
        'one character changed',
        'rsa',
        flipped,
        /RSA private key is damaged or inconsistent|not a well-formed/,
      ],
      [
        'd of another key',
        'rsa',
        mismatched,
        /RSA private key is damaged or inconsistent: its RS256 signature fails its own public key/,
      ],
      [
        'a public key',
        'rsa',
        rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        /is a PEM "PUBLIC KEY" block; expected/,
      ],
      ['a certificate', 'rsa', certificate, /is a PEM "CERTIFICATE" block/],
      [
        'encrypted PKCS#8',
        'rsa',
        rsa.privateKey
          .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })
          .toString(),
        /encrypted PKCS#8 key; tokenman needs it unencrypted/,
      ],
      [
        'encrypted PKCS#1',
        'rsa',
        rsa.privateKey
          .export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })
          .toString(),
        /is encrypted; tokenman needs it unencrypted/,
      ],
      ['1024 bits', 'rsa', rsaKey(1024).pkcs8, /has 1024 bits; RS256 and PS256 need at least 2048/],
      ['an EC key for RS256', 'rsa', ec.pkcs8, /PKCS#8 key of another algorithm .*this signer needs RSA/],
      ['an RSA key for ES256', 'ec', rsa.pkcs8, /PKCS#8 key of another algorithm .*this signer needs EC/],
      ['a P-384 key for ES256', 'ec', ecKey('P-384').sec1, /not on curve P-256/],
    ];
  }

  test('gives one sentence that quotes no key material', () => {
    for (const [name, family, key, expected] of cases()) {
      const signJwt = loadSigner(family);
      const alg = family === 'rsa' ? 'RS256' : 'ES256';
      let message = '';
      try {
        signJwt({ alg, key, claims: CLAIMS });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, name).toMatch(/^tokenman signer: [^\n]+\.$/);
      expect(message, name).toMatch(expected);
      const leaked = keyFragments(key).find((fragment) => message.includes(fragment));
      expect(leaked, `${name}: the message quotes the key`).toBeUndefined();
    }
  });

  test('options a spec could get wrong are named', () => {
    const signJwt = loadSigner('rsa');
    expect(() => signJwt({ alg: 'ES256', key: rsa.pkcs8, claims: {} })).toThrow(
      'tokenman signer: alg must be one of RS256, PS256 in this bundle.',
    );
    expect(() => signJwt({ alg: 'RS256', key: rsa.pkcs8, claims: {}, header: { alg: 'none' } })).toThrow(
      'header.alg differs from alg',
    );
    expect(() =>
      signJwt({ alg: 'RS256', key: rsa.pkcs8, claims: {}, certificate, thumbprints: ['x5c'] }),
    ).toThrow('thumbprints must list some of x5t, x5t#S256.');
    expect(() => signJwt({ alg: 'RS256', key: rsa.pkcs8, claims: {}, times: { expires: 300 } })).toThrow(
      'times takes whole seconds for iat, nbf, exp.',
    );
  });
});
