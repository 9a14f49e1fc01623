import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import {
  CLIENT_ASSERTION_TYPE,
  clientClaims,
  ecKeyPair,
  type KeyPair,
  nowSeconds,
  rsaKeyPair,
  signAssertion,
} from './assertion-helpers.js';
import { basicRaw, call, claimsOf, postForm } from './helpers.js';

const RSA_CLIENT = '0oa1rsaclient';
const EC_CLIENT = '0oa2ecclient';
const HS_CLIENT = '0oa3hsclient';
const HS_SECRET = 'an-okta-client-secret-of-32-bytes!!';

describe('Okta dialect', () => {
  let server: TokenServer;
  let tokenUrl: string;
  let rsa: KeyPair;
  let ec: KeyPair;
  let stranger: KeyPair;

  beforeAll(async () => {
    server = await startTokenServer();
    tokenUrl = `${server.url}/oauth2/default/v1/token`;
    rsa = rsaKeyPair();
    ec = ecKeyPair();
    stranger = rsaKeyPair();
    server.register({
      clientId: RSA_CLIENT,
      grants: ['client_credentials'],
      scopes: ['orders.read'],
      publicKeys: [{ kid: 'rsa-1', key: rsa.publicPem }],
    });
    server.register({
      clientId: EC_CLIENT,
      grants: ['client_credentials'],
      publicKeys: [{ kid: 'ec-1', key: ec.publicPem }],
    });
    server.register({ clientId: HS_CLIENT, clientSecret: HS_SECRET, grants: ['client_credentials'] });
  });
  afterAll(() => server.close());

  const tokenCall = (assertion: string, extra: Record<string, string> = {}) =>
    postForm(tokenUrl, {
      grant_type: 'client_credentials',
      scope: 'orders.read',
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
      ...extra,
    });

  it('issues a token for an RS256 private_key_jwt assertion, counting the call for the client', async () => {
    const before = server.stats(RSA_CLIENT).tokenCalls;
    const assertion = await signAssertion(rsa.privateKey, 'RS256', clientClaims(RSA_CLIENT, tokenUrl), {
      kid: 'rsa-1',
    });
    const res = await tokenCall(assertion);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'orders.read' });
    expect(claimsOf(res.json.access_token)).toMatchObject({
      client_id: RSA_CLIENT,
      iss: `${server.url}/oauth2/default`,
    });
    expect(server.stats(RSA_CLIENT).tokenCalls).toBe(before + 1);
  });

  it('issues a token for an ES256 assertion and for a client_secret_jwt (HS256) one', async () => {
    const es = await signAssertion(ec.privateKey, 'ES256', clientClaims(EC_CLIENT, tokenUrl), {
      kid: 'ec-1',
    });
    expect((await tokenCall(es, { scope: 'anything' })).status).toBe(200);
    const hs = await signAssertion(
      new TextEncoder().encode(HS_SECRET),
      'HS256',
      clientClaims(HS_CLIENT, tokenUrl),
    );
    expect((await tokenCall(hs, { scope: 'anything' })).status).toBe(200);
  });

  it('accepts an assertion without jti, which Okta makes optional', async () => {
    const claims = clientClaims(RSA_CLIENT, tokenUrl);
    delete claims.jti;
    expect(
      (await tokenCall(await signAssertion(rsa.privateKey, 'RS256', claims, { kid: 'rsa-1' }))).status,
    ).toBe(200);
  });

  const cases: Array<[string, () => Promise<string>, string]> = [
    [
      'an assertion signed with another key',
      () => signAssertion(stranger.privateKey, 'RS256', clientClaims(RSA_CLIENT, tokenUrl), { kid: 'rsa-1' }),
      'The client_assertion signature is invalid.',
    ],
    [
      'a kid no registered key has',
      () => signAssertion(rsa.privateKey, 'RS256', clientClaims(RSA_CLIENT, tokenUrl), { kid: 'rsa-2' }),
      'The client_assertion JWT kid is invalid.',
    ],
    [
      'no kid in the header',
      () => signAssertion(rsa.privateKey, 'RS256', clientClaims(RSA_CLIENT, tokenUrl)),
      'The client_assertion JWT kid is invalid.',
    ],
    [
      'the issuer as audience instead of the token URL',
      () =>
        signAssertion(rsa.privateKey, 'RS256', clientClaims(RSA_CLIENT, `${server.url}/oauth2/default`), {
          kid: 'rsa-1',
        }),
      'The audience claim for client_assertion must be the endpoint invoked for the request.',
    ],
    [
      'an expired assertion',
      () =>
        signAssertion(
          rsa.privateKey,
          'RS256',
          clientClaims(RSA_CLIENT, tokenUrl, { iat: nowSeconds() - 900, exp: nowSeconds() - 600 }),
          { kid: 'rsa-1' },
        ),
      'The client_assertion token is expired.',
    ],
    [
      'an iat two minutes in the future',
      () =>
        signAssertion(
          rsa.privateKey,
          'RS256',
          clientClaims(RSA_CLIENT, tokenUrl, { iat: nowSeconds() + 120, exp: nowSeconds() + 400 }),
          { kid: 'rsa-1' },
        ),
      'The client_assertion token was issued in the future.',
    ],
    [
      'an exp more than an hour after iat',
      () =>
        signAssertion(
          rsa.privateKey,
          'RS256',
          clientClaims(RSA_CLIENT, tokenUrl, { exp: nowSeconds() + 7200 }),
          {
            kid: 'rsa-1',
          },
        ),
      'The client_assertion token has an expiration too far into the future.',
    ],
    [
      'PS256, which Okta does not take',
      () => signAssertion(rsa.privateKey, 'PS256', clientClaims(RSA_CLIENT, tokenUrl), { kid: 'rsa-1' }),
      'The client_assertion token has an invalid signing algorithm.',
    ],
    [
      'HS256 from a client that registered only a public key',
      () => signAssertion(new TextEncoder().encode(HS_SECRET), 'HS256', clientClaims(RSA_CLIENT, tokenUrl)),
      'The client_assertion token has an invalid signing algorithm.',
    ],
    [
      'iss differing from sub',
      () =>
        signAssertion(rsa.privateKey, 'RS256', clientClaims(RSA_CLIENT, tokenUrl, { iss: 'someone-else' }), {
          kid: 'rsa-1',
        }),
      "The client_assertion token must have 'iss' and 'sub' claims with the client_id value.",
    ],
  ];

  it.each(cases)('refuses %s with 401 invalid_client', async (_name, make, description) => {
    const res = await tokenCall(await make());
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: 'invalid_client', error_description: description });
  });

  it('refuses a replayed jti, even within the assertion lifetime', async () => {
    const assertion = await signAssertion(
      rsa.privateKey,
      'RS256',
      clientClaims(RSA_CLIENT, tokenUrl, { jti: randomUUID() }),
      { kid: 'rsa-1' },
    );
    expect((await tokenCall(assertion)).status).toBe(200);
    const again = await tokenCall(assertion);
    expect(again.status).toBe(401);
    expect(again.json).toEqual({
      error: 'invalid_client',
      error_description: "The 'jti' claim in the client_assertion token has already been used.",
    });
  });

  it('judges assertion times by its own clock, which a test can skew', async () => {
    server.skewClock(600);
    try {
      const assertion = await signAssertion(rsa.privateKey, 'RS256', clientClaims(RSA_CLIENT, tokenUrl), {
        kid: 'rsa-1',
      });
      const res = await tokenCall(assertion);
      expect(res.status).toBe(401);
      expect(res.json.error_description).toBe('The client_assertion token is expired.');
    } finally {
      server.skewClock(0);
    }
    server.skewClock(-600);
    try {
      const assertion = await signAssertion(rsa.privateKey, 'RS256', clientClaims(RSA_CLIENT, tokenUrl), {
        kid: 'rsa-1',
      });
      expect((await tokenCall(assertion)).json.error_description).toBe(
        'The client_assertion token was issued in the future.',
      );
    } finally {
      server.skewClock(0);
    }
  });

  it('still takes client secrets, and refuses a key client that sends none', async () => {
    const secret = await postForm(
      tokenUrl,
      { grant_type: 'client_credentials', scope: 'x' },
      { authorization: basicRaw(HS_CLIENT, HS_SECRET) },
    );
    expect(secret.status).toBe(200);
    const bare = await postForm(tokenUrl, { grant_type: 'client_credentials', client_id: RSA_CLIENT });
    expect(bare.status).toBe(401);
    expect(bare.json).toEqual({
      error: 'invalid_client',
      error_description:
        'Client authentication failed. Either the client or the client credentials are invalid.',
    });
  });

  it('publishes the authorization server discovery document', async () => {
    const res = await call(`${server.url}/oauth2/default/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ issuer: `${server.url}/oauth2/default`, token_endpoint: tokenUrl });
    expect(res.json.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['private_key_jwt', 'client_secret_jwt']),
    );
  });
});
