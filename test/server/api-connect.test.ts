import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { call, claimsOf, postForm, postJson } from './helpers.js';

const LOGIN = {
  username: 'apimanager',
  password: 'Zsecret!',
  realm: 'provider/default-idp-2',
  client_id: 'toolkit-client',
  client_secret: 'toolkit-secret',
  grant_type: 'password',
};

describe('IBM API Connect dialect', () => {
  let server: TokenServer;
  let tokenUrl: string;

  beforeAll(async () => {
    server = await startTokenServer();
    tokenUrl = `${server.url}/api/token`;
    server.register({
      clientId: 'toolkit-client',
      clientSecret: 'toolkit-secret',
      grants: ['password'],
      users: [{ username: 'apimanager', password: 'Zsecret!' }],
      lifetime: 28800,
    });
  });
  afterAll(() => server.close());

  it.each([
    ['provider', ['default-idp-2', 'corporate-ldap']],
    ['admin', ['default-idp-1']],
  ])('lists the %s identity providers without authentication', async (scope, names) => {
    const res = await call(`${server.url}/api/cloud/${scope}/identity-providers`);
    expect(res.status).toBe(200);
    expect(res.json.total_results).toBe(names.length);
    expect(res.json.results.map((idp: { name: string }) => idp.name)).toEqual(names);
    expect(res.json.results[0]).toMatchObject({ default: true, registry_type: 'lur' });
  });

  it.each(['provider/default-idp-2', 'provider/corporate-ldap', 'admin/default-idp-1'])(
    'issues a token for realm %s',
    async (realm) => {
      const res = await postJson(tokenUrl, { ...LOGIN, realm });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 28800 });
      const claims = claimsOf(res.json.access_token);
      expect(claims).toMatchObject({ sub: 'apimanager', client_id: 'toolkit-client' });
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(28800);
    },
  );

  it.each([
    ['an unknown realm', { realm: 'provider/x' }, 'Invalid realm provider/x'],
    ['a realm of the other scope', { realm: 'admin/default-idp-2' }, 'Invalid realm admin/default-idp-2'],
    ['a wrong password', { password: 'nope' }, 'Invalid username or password'],
    ['a wrong client secret', { client_secret: 'nope' }, 'Invalid client credentials'],
    ['an unknown client', { client_id: 'other' }, 'Invalid client credentials'],
  ])('answers %s with 401 in API Connect shape', async (_name, change, message) => {
    const res = await postJson(tokenUrl, { ...LOGIN, ...change });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ status: 401, message: [message] });
  });

  it('accepts JSON only', async () => {
    const res = await postForm(tokenUrl, LOGIN);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ status: 400, message: [expect.stringContaining('application/json')] });
  });

  it('rejects malformed JSON', async () => {
    const res = await call(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"user',
    });
    expect(res.status).toBe(400);
    expect(res.json.status).toBe(400);
    expect(res.json.message).toHaveLength(1);
  });

  describe('API key exchange (v10 grant_type api_key)', () => {
    const API_KEY = 'c0ffee00-1234-4abc-8def-0123456789ab';
    const exchange = (fields: Record<string, string>) =>
      postJson(tokenUrl, {
        api_key: API_KEY,
        client_id: 'apikey-client',
        client_secret: 'apikey-secret',
        grant_type: 'api_key',
        ...fields,
      });

    beforeAll(() => {
      server.register({
        clientId: 'apikey-client',
        clientSecret: 'apikey-secret',
        grants: ['api_key'],
        apiKeys: [{ apiKey: API_KEY, username: 'apimanager' }],
      });
    });

    it("issues a token for the key's user, without a realm", async () => {
      const res = await exchange({});
      expect(res.status).toBe(200);
      expect(Object.keys(res.json).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
      expect(claimsOf(res.json.access_token)).toMatchObject({
        sub: 'apimanager',
        client_id: 'apikey-client',
      });
    });

    it.each([
      ['an unknown API key', { api_key: 'not-a-key' }, 401, 'Invalid API key'],
      ['a wrong client secret', { client_secret: 'nope' }, 401, 'Invalid client credentials'],
    ])('refuses %s', async (_name, fields, status, message) => {
      const res = await exchange(fields);
      expect(res.status).toBe(status);
      expect(res.json).toEqual({ status, message: [message] });
    });

    it('refuses a client not registered for API keys', async () => {
      const res = await postJson(tokenUrl, { ...LOGIN, grant_type: 'api_key', api_key: API_KEY });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ status: 400, message: ['Unsupported grant type api_key'] });
    });
  });
});
