import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { basicRaw, call, claimsOf, postForm, postJson } from './helpers.js';

const PATH = '/v1/oauth2/issue';

describe('plain RFC 6749 endpoint at a registered path', () => {
  let server: TokenServer;

  beforeAll(async () => {
    server = await startTokenServer();
    server.register({
      clientId: 'acme-app',
      clientSecret: 'acme-secret',
      grants: ['client_credentials', 'password'],
      users: [{ username: 'ada', password: 'pw' }],
      tokenEndpointPath: PATH,
    });
  });
  afterAll(() => server.close());

  it('is not a token endpoint before a client names the path', async () => {
    const other = await startTokenServer();
    try {
      const res = await postForm(`${other.url}${PATH}`, { grant_type: 'client_credentials' });
      expect(res.status).toBe(401);
      expect(other.stats().tokenCalls).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('issues a bearer token to Basic client authentication, with the standard fields', async () => {
    const res = await postForm(
      `${server.url}${PATH}`,
      { grant_type: 'client_credentials' },
      { authorization: basicRaw('acme-app', 'acme-secret') },
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
    expect(claimsOf(res.json.access_token).iss).toBe(`${server.url}${PATH}`);
  });

  it('reads JSON bodies and the query string too', async () => {
    const json = await postJson(`${server.url}${PATH}`, {
      grant_type: 'password',
      client_id: 'acme-app',
      client_secret: 'acme-secret',
      username: 'ada',
      password: 'pw',
    });
    expect(json.status).toBe(200);
    const query = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'acme-app',
      client_secret: 'acme-secret',
    });
    const viaQuery = await call(`${server.url}${PATH}?${query}`, { method: 'POST' });
    expect(viaQuery.status).toBe(200);
  });

  it('answers a wrong secret with 401 invalid_client and a wrong password with 400 invalid_grant', async () => {
    const client = await postForm(`${server.url}${PATH}`, {
      grant_type: 'client_credentials',
      client_id: 'acme-app',
      client_secret: 'nope',
    });
    expect(client.status).toBe(401);
    expect(client.json.error).toBe('invalid_client');
    const user = await postForm(`${server.url}${PATH}`, {
      grant_type: 'password',
      client_id: 'acme-app',
      client_secret: 'acme-secret',
      username: 'ada',
      password: 'wrong',
    });
    expect(user.status).toBe(400);
    expect(user.json.error).toBe('invalid_grant');
  });
});
