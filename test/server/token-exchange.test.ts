import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { basicRaw, bearer, call, claimsOf, postForm } from './helpers.js';

const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';

describe('RFC 8693 token exchange', () => {
  let server: TokenServer;
  let keycloakUrl: string;
  let userToken: string;
  let idToken: string;

  beforeAll(async () => {
    server = await startTokenServer();
    keycloakUrl = `${server.url}/realms/shop/protocol/openid-connect/token`;
    server.register({
      clientId: 'frontend',
      grants: ['password'],
      users: [{ username: 'bob', password: 'pw' }],
    });
    server.register({
      clientId: 'gateway',
      clientSecret: 'gw-secret',
      grants: [EXCHANGE],
      tokenEndpointPath: '/token/exchange',
    });
    server.register({ clientId: 'plain', clientSecret: 'plain-secret', grants: ['client_credentials'] });
    const login = await postForm(keycloakUrl, {
      grant_type: 'password',
      client_id: 'frontend',
      username: 'bob',
      password: 'pw',
      scope: 'openid',
    });
    userToken = login.json.access_token;
    idToken = login.json.id_token;
  });
  afterAll(() => server.close());

  const exchange = (url: string, fields: Record<string, string>, secret = 'gw-secret', client = 'gateway') =>
    postForm(
      url,
      { grant_type: EXCHANGE, subject_token: userToken, subject_token_type: ACCESS_TOKEN, ...fields },
      { authorization: basicRaw(client, secret) },
    );

  it.each([
    ['Keycloak', () => keycloakUrl],
    ['a plain RFC 6749 endpoint', () => `${server.url}/token/exchange`],
  ])("gives %s's client a token for the same user, saying its type", async (_name, url) => {
    const res = await exchange(url(), {});
    expect(res.status).toBe(200);
    expect(res.json.issued_token_type).toBe(ACCESS_TOKEN);
    expect(claimsOf(res.json.access_token)).toMatchObject({ sub: 'bob', client_id: 'gateway' });
    expect((await call(`${server.url}/api`, { headers: bearer(res.json.access_token) })).status).toBe(200);
  });

  it.each([
    ['a token this server never issued', { subject_token: 'not-a-token' }],
    ['an id token as subject', { subject_token: '' }],
  ])('Keycloak refuses %s with invalid_token', async (_name, fields) => {
    const res = await exchange(
      keycloakUrl,
      fields.subject_token === '' ? { subject_token: idToken } : fields,
    );
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: 'invalid_token', error_description: 'Invalid token' });
  });

  it.each([
    ['no subject_token_type', { subject_token_type: '' }, 400, 'invalid_request'],
    [
      'a refresh-token type',
      { subject_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' },
      400,
      'invalid_request',
    ],
    [
      'a forged subject token',
      { subject_token: `${'x'.repeat(20)}.${'y'.repeat(20)}.z` },
      400,
      'invalid_request',
    ],
  ])('the plain endpoint refuses %s', async (_name, fields, status, error) => {
    const res = await exchange(`${server.url}/token/exchange`, fields);
    expect(res.status).toBe(status);
    expect(res.json.error).toBe(error);
    expect(typeof res.json.error_description).toBe('string');
  });

  it('refuses a wrong client secret and a client not registered for exchange', async () => {
    const wrong = await exchange(keycloakUrl, {}, 'nope');
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe('invalid_client');
    const plain = await exchange(keycloakUrl, {}, 'plain-secret', 'plain');
    expect(plain.status).toBe(400);
    expect(plain.json.error).toBe('unauthorized_client');
  });
});
