import type { JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import {
  CLIENT_ASSERTION_TYPE,
  clientClaims,
  type KeyPair,
  nowSeconds,
  rsaKeyPair,
  signAssertion,
  without,
} from './assertion-helpers.js';
import { basicRaw, call, claimsOf, postForm } from './helpers.js';

const INVALID_CLIENT = {
  error: 'invalid_client',
  error_description: 'Invalid client or Invalid client credentials',
};

describe('Keycloak dialect', () => {
  let server: TokenServer;
  let tokenUrl: string;

  beforeAll(async () => {
    server = await startTokenServer();
    tokenUrl = `${server.url}/realms/shop-prod/protocol/openid-connect/token`;
    server.register({
      clientId: 'shop-frontend',
      grants: ['password', 'refresh_token'],
      users: [{ username: 'bob', password: 'hunter2' }],
    });
    server.register({
      clientId: 'shop-backend',
      clientSecret: 's3cret',
      grants: ['client_credentials', 'password'],
    });
  });
  afterAll(() => server.close());

  it('issues a client_credentials token in Keycloak shape', async () => {
    const res = await postForm(
      tokenUrl,
      { grant_type: 'client_credentials' },
      { authorization: basicRaw('shop-backend', 's3cret') },
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      expires_in: 3600,
      refresh_expires_in: 0,
      token_type: 'Bearer',
      'not-before-policy': 0,
      scope: '',
    });
    expect(typeof res.json.session_state).toBe('string');
    expect(res.json.id_token).toBeUndefined();
    expect(claimsOf(res.json.access_token)).toMatchObject({
      iss: `${server.url}/realms/shop-prod`,
      client_id: 'shop-backend',
      token_kind: 'access_token',
    });
  });

  it('serves a public client from multipart form-data, with an id_token for the openid scope', async () => {
    const body = new FormData();
    for (const [name, value] of Object.entries({
      grant_type: 'password',
      client_id: 'shop-frontend',
      username: 'bob',
      password: 'hunter2',
      scope: 'openid profile',
    })) {
      body.append(name, value);
    }
    const res = await call(tokenUrl, { method: 'POST', body });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(
      [
        'access_token',
        'expires_in',
        'id_token',
        'not-before-policy',
        'refresh_expires_in',
        'refresh_token',
        'scope',
        'session_state',
        'token_type',
      ].sort(),
    );
    expect(res.json.scope).toBe('openid profile');
    expect(res.json.refresh_expires_in).toBeGreaterThan(res.json.expires_in - 1);
    const id = claimsOf(res.json.id_token);
    expect(id).toMatchObject({ aud: 'shop-frontend', sub: 'bob', token_kind: 'id_token' });
    expect(id.exp).toBeGreaterThan(Date.now() / 1000);
  });

  it('rotates refresh tokens and refuses a used one', async () => {
    const first = await postForm(tokenUrl, {
      grant_type: 'password',
      client_id: 'shop-frontend',
      username: 'bob',
      password: 'hunter2',
      scope: 'openid',
    });
    expect(first.status).toBe(200);

    const refreshed = await postForm(tokenUrl, {
      grant_type: 'refresh_token',
      client_id: 'shop-frontend',
      refresh_token: first.json.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.refresh_token).not.toBe(first.json.refresh_token);
    expect(refreshed.json.access_token).not.toBe(first.json.access_token);
    expect(typeof refreshed.json.id_token).toBe('string');
    expect(claimsOf(refreshed.json.access_token).sub).toBe('bob');

    const reused = await postForm(tokenUrl, {
      grant_type: 'refresh_token',
      client_id: 'shop-frontend',
      refresh_token: first.json.refresh_token,
    });
    expect(reused.status).toBe(400);
    expect(reused.json).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token' });
  });

  it.each([
    [
      'a wrong user password',
      { grant_type: 'password', client_id: 'shop-frontend', username: 'bob', password: 'wrong' },
      401,
      { error: 'invalid_grant', error_description: 'Invalid user credentials' },
    ],
    [
      'a wrong client secret',
      { grant_type: 'client_credentials', client_id: 'shop-backend', client_secret: 'wrong' },
      401,
      INVALID_CLIENT,
    ],
    [
      'an unknown client',
      { grant_type: 'client_credentials', client_id: 'ghost', client_secret: 'x' },
      401,
      INVALID_CLIENT,
    ],
    [
      'a confidential client without its secret',
      { grant_type: 'password', client_id: 'shop-backend', username: 'bob', password: 'hunter2' },
      401,
      INVALID_CLIENT,
    ],
    [
      'an unknown refresh token',
      { grant_type: 'refresh_token', client_id: 'shop-frontend', refresh_token: 'not-a-token' },
      400,
      { error: 'invalid_grant', error_description: 'Invalid refresh token' },
    ],
    [
      'client_credentials for a public client',
      { grant_type: 'client_credentials', client_id: 'shop-frontend' },
      400,
      { error: 'unauthorized_client', error_description: 'Client not allowed for this grant type' },
    ],
  ])('answers %s', async (_name, fields, status, body) => {
    const res = await postForm(tokenUrl, fields);
    expect(res.status).toBe(status);
    expect(res.json).toEqual(body);
  });

  it('accepts any realm name', async () => {
    const res = await postForm(`${server.url}/realms/other/protocol/openid-connect/token`, {
      grant_type: 'client_credentials',
      client_id: 'shop-backend',
      client_secret: 's3cret',
    });
    expect(res.status).toBe(200);
    expect(claimsOf(res.json.access_token).iss).toBe(`${server.url}/realms/other`);
  });
});

describe('Keycloak signed-JWT clients', () => {
  let server: TokenServer;
  let issuer: string;
  let tokenUrl: string;
  let keys: KeyPair;
  let other: KeyPair;
  const SECRET = 'keycloak-client-secret-long-enough-for-hs256';

  beforeAll(async () => {
    server = await startTokenServer();
    issuer = `${server.url}/realms/shop-prod`;
    tokenUrl = `${issuer}/protocol/openid-connect/token`;
    keys = rsaKeyPair();
    other = rsaKeyPair();
    server.register({
      clientId: 'jwt-client',
      grants: ['client_credentials'],
      publicKeys: [{ key: keys.publicPem }],
    });
    server.register({
      clientId: 'secret-jwt-client',
      clientSecret: SECRET,
      grants: ['client_credentials'],
      assertionAlgorithms: ['HS256'],
    });
  });
  afterAll(() => server.close());

  const assertionCall = (assertion: string) =>
    postForm(tokenUrl, {
      grant_type: 'client_credentials',
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
    });
  const signed = (overrides: JWTPayload = {}, aud = tokenUrl, alg = 'RS256') =>
    signAssertion(keys.privateKey, alg, clientClaims('jwt-client', aud, overrides));
  const failed = (reason: string) => ({
    error: 'invalid_client',
    error_description: `Client authentication with signed JWT failed: ${reason}`,
  });

  it.each([
    ['the token endpoint', () => tokenUrl],
    ['the realm issuer', () => issuer],
  ])('accepts %s as audience', async (_name, aud) => {
    const res = await assertionCall(await signed({}, aud()));
    expect(res.status).toBe(200);
    expect(claimsOf(res.json.access_token)).toMatchObject({ client_id: 'jwt-client', iss: issuer });
  });

  it('accepts client_secret_jwt (HS256 with the client secret)', async () => {
    const assertion = await signAssertion(
      new TextEncoder().encode(SECRET),
      'HS256',
      clientClaims('secret-jwt-client', tokenUrl),
    );
    expect((await assertionCall(assertion)).status).toBe(200);
  });

  const cases: Array<[string, () => Promise<string>, unknown]> = [
    [
      'a wrong key',
      () => signAssertion(other.privateKey, 'RS256', clientClaims('jwt-client', tokenUrl)),
      failed('Signature on JWT token failed validation'),
    ],
    ['a wrong audience', () => signed({}, `${server.url}/realms/other`), failed('Invalid token audience')],
    [
      'an expired assertion',
      () => signed({ iat: nowSeconds() - 40, exp: nowSeconds() - 20 }),
      failed('Token is not active'),
    ],
    [
      'an iat 30 s ahead (15 s leeway)',
      () => signed({ iat: nowSeconds() + 30 }),
      failed('Token was issued in the future'),
    ],
    [
      'an iat older than 60 s',
      () => signed({ iat: nowSeconds() - 90 }),
      failed('Token was issued too far in the past to be used now'),
    ],
    [
      'no jti',
      () => signAssertion(keys.privateKey, 'RS256', without(clientClaims('jwt-client', tokenUrl), 'jti')),
      failed('Token jti claim is required'),
    ],
    [
      'HS256 from a key client',
      () => signAssertion(new TextEncoder().encode(SECRET), 'HS256', clientClaims('jwt-client', tokenUrl)),
      failed('Invalid signature algorithm'),
    ],
    [
      'RS256 from a client_secret_jwt client',
      () => signAssertion(keys.privateKey, 'RS256', clientClaims('secret-jwt-client', tokenUrl)),
      failed('Invalid signature algorithm'),
    ],
    ['iss differing from sub', () => signed({ iss: issuer }), INVALID_CLIENT],
    [
      'an unknown client',
      () => signAssertion(keys.privateKey, 'RS256', clientClaims('ghost', tokenUrl)),
      INVALID_CLIENT,
    ],
  ];

  it.each(cases)('refuses %s', async (_name, make, body) => {
    const res = await assertionCall(await make());
    expect(res.json).toEqual(body);
    expect(res.status).toBe(body === INVALID_CLIENT ? 401 : 400);
  });

  it('names the expected client_assertion_type when another is sent', async () => {
    const res = await postForm(tokenUrl, {
      grant_type: 'client_credentials',
      client_assertion_type: 'jwt',
      client_assertion: await signed(),
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(
      failed(`Parameter client_assertion_type has value 'jwt' but expected is '${CLIENT_ASSERTION_TYPE}'`),
    );
  });

  it('accepts an iat 10 s ahead, within its 15 s leeway', async () => {
    expect((await assertionCall(await signed({ iat: nowSeconds() + 10 }))).status).toBe(200);
  });

  it('detects token reuse', async () => {
    const assertion = await signed();
    expect((await assertionCall(assertion)).status).toBe(200);
    expect((await assertionCall(assertion)).json).toEqual(failed('Token reuse detected'));
  });

  it('publishes a discovery document per realm', async () => {
    const res = await call(`${issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ issuer, token_endpoint: tokenUrl });
    expect(res.json.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
    expect(res.json.mtls_endpoint_aliases).toBeUndefined();
  });
});
