import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
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
