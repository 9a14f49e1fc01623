import type { JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import {
  JWT_BEARER,
  type KeyPair,
  nowSeconds,
  rsaKeyPair,
  signAssertion,
  without,
} from './assertion-helpers.js';
import { bearer, call, claimsOf, postForm } from './helpers.js';

const SERVICE_ACCOUNT = 'reporting@acme-prod.iam.gserviceaccount.com';
const KEY_ID = '3f2a9c0d5e6b7a8f9e0d1c2b3a4f5e6d7c8b9a0f';
const SHORT_LIVED =
  'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';

describe('Google service-account dialect (JWT-bearer grant)', () => {
  let server: TokenServer;
  let tokenUrl: string;
  let keys: KeyPair;
  let other: KeyPair;

  beforeAll(async () => {
    server = await startTokenServer();
    tokenUrl = `${server.url}/token`;
    keys = rsaKeyPair();
    other = rsaKeyPair();
    server.register({
      clientId: SERVICE_ACCOUNT,
      grants: [JWT_BEARER],
      scopes: ['https://www.googleapis.com/auth/bigquery.readonly'],
      publicKeys: [{ kid: KEY_ID, key: keys.publicPem }],
    });
  });
  afterAll(() => server.close());

  const claims = (overrides: JWTPayload = {}): JWTPayload => ({
    iss: SERVICE_ACCOUNT,
    scope: 'https://www.googleapis.com/auth/bigquery.readonly',
    aud: tokenUrl,
    iat: nowSeconds(),
    exp: nowSeconds() + 3600,
    ...overrides,
  });
  const grant = async (
    payload: JWTPayload,
    key = keys,
    alg = 'RS256',
    header: Record<string, unknown> = { kid: KEY_ID },
  ) =>
    postForm(tokenUrl, {
      grant_type: JWT_BEARER,
      assertion: await signAssertion(key.privateKey, alg, payload, header),
    });

  it('issues a token for a service-account assertion, usable at the API', async () => {
    const res = await grant(claims());
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(res.json.token_type).toBe('Bearer');
    expect(claimsOf(res.json.access_token)).toMatchObject({
      client_id: SERVICE_ACCOUNT,
      sub: SERVICE_ACCOUNT,
    });
    expect(
      (await call(`${server.url}/bigquery/v2/projects`, { headers: bearer(res.json.access_token) })).status,
    ).toBe(200);
    expect(server.stats(SERVICE_ACCOUNT).tokenCalls).toBeGreaterThan(0);
  });

  it('takes the delegated user from sub, and a key without kid', async () => {
    const res = await grant(claims({ sub: 'alice@acme.example' }), keys, 'RS256', {});
    expect(res.status).toBe(200);
    expect(claimsOf(res.json.access_token).sub).toBe('alice@acme.example');
  });

  it('does not check jti, which Google does not use: the same assertion works twice', async () => {
    const assertion = await signAssertion(keys.privateKey, 'RS256', claims({ jti: 'same' }), { kid: KEY_ID });
    for (let i = 0; i < 2; i++) {
      expect((await postForm(tokenUrl, { grant_type: JWT_BEARER, assertion })).status).toBe(200);
    }
  });

  it.each([
    ['a wrong key', () => grant(claims(), other), 'invalid_grant', 'Invalid JWT Signature.'],
    [
      'RS256 replaced by PS256',
      () => grant(claims(), keys, 'PS256'),
      'invalid_grant',
      'Invalid JWT Signature.',
    ],
    [
      'an unknown kid',
      () => grant(claims(), keys, 'RS256', { kid: 'old-key' }),
      'invalid_grant',
      'Invalid JWT Signature.',
    ],
    [
      'an expired assertion',
      () => grant(claims({ iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 })),
      'invalid_grant',
      SHORT_LIVED,
    ],
    [
      'an iat in the future',
      () => grant(claims({ iat: nowSeconds() + 300, exp: nowSeconds() + 900 })),
      'invalid_grant',
      SHORT_LIVED,
    ],
    [
      'a lifetime over an hour',
      () => grant(claims({ exp: nowSeconds() + 3700 })),
      'invalid_grant',
      SHORT_LIVED,
    ],
    ['no iat', () => grant(without(claims(), 'iat')), 'invalid_grant', SHORT_LIVED],
    [
      'an unknown service account',
      () => grant(claims({ iss: 'ghost@acme-prod.iam.gserviceaccount.com' })),
      'invalid_grant',
      'Invalid grant: account not found',
    ],
    [
      'no scope claim',
      () => grant(without(claims(), 'scope')),
      'invalid_scope',
      'Invalid OAuth scope or ID token audience provided.',
    ],
    [
      'a scope it was not granted',
      () => grant(claims({ scope: 'https://www.googleapis.com/auth/cloud-platform' })),
      'invalid_scope',
      'Invalid OAuth scope or ID token audience provided.',
    ],
  ])('refuses %s with 400', async (_name, send, error, description) => {
    const res = await send();
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error, error_description: description });
  });

  it('names the right audience when aud is wrong', async () => {
    const res = await grant(claims({ aud: 'https://www.googleapis.com/oauth2/v4/token' }));
    expect(res.status).toBe(400);
    expect(res.json.error_description).toBe(
      `Invalid JWT: Failed audience check. The right audience is ${tokenUrl}`,
    );
  });

  it('answers other grants as the plain RFC 6749 endpoint, where `tokenman init` often puts a token URL', async () => {
    server.register({
      clientId: 'init-app',
      clientSecret: 's3cret',
      grants: ['client_credentials'],
      tokenEndpointPath: '/token',
    });
    const query = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'init-app',
      client_secret: 's3cret',
    });
    const res = await call(`${tokenUrl}?${query}`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.json.token_type).toBe('Bearer');
    const wrong = await postForm(tokenUrl, {
      grant_type: 'client_credentials',
      client_id: 'init-app',
      client_secret: 'x',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe('invalid_client');
  });
});

const CONSUMER_KEY = '3MVG9A2kN3Bn17hs8MIaQx1voVGy662rXlC37svtmLmt6wO_iik8Hnk3DlcYjKRvzVNGWLFlGRH1ryHwS217h';

describe('Salesforce dialect (JWT bearer flow)', () => {
  let server: TokenServer;
  let tokenUrl: string;
  let keys: KeyPair;
  let other: KeyPair;

  beforeAll(async () => {
    server = await startTokenServer();
    tokenUrl = `${server.url}/services/oauth2/token`;
    keys = rsaKeyPair();
    other = rsaKeyPair();
    server.register({
      clientId: CONSUMER_KEY,
      grants: [JWT_BEARER],
      users: [{ username: 'integration@acme.example', password: 'unused' }],
      scopes: ['api'],
      publicKeys: [{ key: keys.publicPem }],
    });
  });
  afterAll(() => server.close());

  const claims = (overrides: JWTPayload = {}): JWTPayload => ({
    iss: CONSUMER_KEY,
    sub: 'integration@acme.example',
    aud: 'https://login.salesforce.com',
    exp: nowSeconds() + 180,
    ...overrides,
  });
  const grant = async (payload: JWTPayload, key = keys, alg = 'RS256') =>
    postForm(tokenUrl, {
      grant_type: JWT_BEARER,
      assertion: await signAssertion(key.privateKey, alg, payload),
    });

  it.each([
    ['the production login host', 'https://login.salesforce.com'],
    ['the sandbox login host', 'https://test.salesforce.com'],
    ["the server's own origin", undefined],
  ])('issues a token with instance_url and id for %s as audience', async (_name, aud) => {
    const res = await grant(claims({ aud: aud ?? server.url }));
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual([
      'access_token',
      'id',
      'instance_url',
      'scope',
      'token_type',
    ]);
    expect(res.json).toMatchObject({ instance_url: server.url, token_type: 'Bearer', scope: 'api' });
    expect(res.json.id).toMatch(new RegExp(`^${server.url}/id/00D\\w{15}/005\\w{15}$`));
    expect(claimsOf(res.json.access_token)).toMatchObject({
      sub: 'integration@acme.example',
      client_id: CONSUMER_KEY,
    });
  });

  it('allows three minutes of clock skew on exp', async () => {
    expect((await grant(claims({ exp: nowSeconds() - 120 }))).status).toBe(200);
  });

  it.each([
    ['a wrong key', () => grant(claims(), other), 'invalid_grant', 'invalid assertion'],
    ['PS256', () => grant(claims(), keys, 'PS256'), 'invalid_grant', 'invalid assertion'],
    [
      'a wrong audience',
      () => grant(claims({ aud: 'https://acme.my.salesforce.com' })),
      'invalid_grant',
      'audience is invalid',
    ],
    [
      'an expired assertion',
      () => grant(claims({ exp: nowSeconds() - 600 })),
      'invalid_grant',
      'expired authorization code',
    ],
    [
      'an unknown consumer key',
      () => grant(claims({ iss: 'not-a-consumer-key' })),
      'invalid_client_id',
      'client identifier invalid',
    ],
    [
      'a user who may not use the app',
      () => grant(claims({ sub: 'mallory@acme.example' })),
      'invalid_grant',
      "user hasn't approved this consumer",
    ],
    ['no sub', () => grant(without(claims(), 'sub')), 'invalid_grant', "user hasn't approved this consumer"],
  ])('refuses %s', async (_name, send, error, description) => {
    const res = await send();
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error, error_description: description });
  });

  it.each([
    [
      'client credentials',
      { grant_type: 'client_credentials', client_id: 'sf-app', client_secret: 'sf-secret' },
      200,
      undefined,
    ],
    [
      'the username-password flow',
      {
        grant_type: 'password',
        client_id: 'sf-app',
        client_secret: 'sf-secret',
        username: 'ops@acme.example',
        password: 'pwTOKEN',
      },
      200,
      undefined,
    ],
    [
      'a wrong client secret',
      { grant_type: 'client_credentials', client_id: 'sf-app', client_secret: 'x' },
      400,
      { error: 'invalid_client', error_description: 'invalid client credentials' },
    ],
    [
      'an unknown consumer key',
      { grant_type: 'client_credentials', client_id: 'nope', client_secret: 'x' },
      400,
      { error: 'invalid_client_id', error_description: 'client identifier invalid' },
    ],
    [
      'a wrong password',
      {
        grant_type: 'password',
        client_id: 'sf-app',
        client_secret: 'sf-secret',
        username: 'ops@acme.example',
        password: 'x',
      },
      400,
      { error: 'invalid_grant', error_description: 'authentication failure' },
    ],
  ])('serves %s with a client secret', async (_name, fields, status, body) => {
    server.register({
      clientId: 'sf-app',
      clientSecret: 'sf-secret',
      grants: ['client_credentials', 'password'],
      users: [{ username: 'ops@acme.example', password: 'pwTOKEN' }],
    });
    const res = await postForm(tokenUrl, fields);
    expect(res.status).toBe(status);
    if (body) expect(res.json).toEqual(body);
    else expect(res.json).toMatchObject({ instance_url: server.url, token_type: 'Bearer' });
  });
});
