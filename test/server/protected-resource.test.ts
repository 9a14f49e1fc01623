import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { bearer, call, claimsOf, postForm, sleep } from './helpers.js';

describe('protected resource', () => {
  let server: TokenServer;
  let kcUrl: string;

  async function token(clientId: string, scope = ''): Promise<{ access_token: string; id_token?: string }> {
    const res = await postForm(kcUrl, {
      grant_type: 'password',
      client_id: clientId,
      username: 'carol',
      password: 'pw',
      ...(scope ? { scope } : {}),
    });
    expect(res.status).toBe(200);
    return res.json;
  }

  beforeAll(async () => {
    server = await startTokenServer();
    kcUrl = `${server.url}/realms/r/protocol/openid-connect/token`;
    const users = [{ username: 'carol', password: 'pw' }];
    server.register({ clientId: 'plain', grants: ['password'], users });
    server.register({ clientId: 'biotz', grants: ['password'], users, accepts: 'id_token' });
    server.register({ clientId: 'short', grants: ['password'], users, lifetime: 1 });
    server.register({ clientId: 'forger', grants: ['password'], users });
  });
  afterAll(() => server.close());

  it.each([
    ['GET', '/api/v1/orders', 'Bearer'],
    ['POST', '/anything/else', 'bearer'],
    ['DELETE', '/', 'BEARER'],
  ])('accepts an issued access token on %s %s with scheme %s', async (method, path, scheme) => {
    const { access_token } = await token('plain');
    const res = await call(`${server.url}${path}?x=1`, { method, headers: bearer(access_token, scheme) });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true, method, path, client_id: 'plain' });
  });

  it('accepts only the id_token for a client that accepts id tokens', async () => {
    const tokens = await token('biotz', 'openid');
    const withId = await call(`${server.url}/biotz/api`, { headers: bearer(tokens.id_token ?? '') });
    expect(withId.status).toBe(200);
    expect(withId.json.client_id).toBe('biotz');

    const withAccess = await call(`${server.url}/biotz/api`, { headers: bearer(tokens.access_token) });
    expect(withAccess.status).toBe(401);
    expect(withAccess.json.error_description).toMatch(/accepts only id_token/);
  });

  it('rejects an id_token where access tokens are expected', async () => {
    const tokens = await token('plain', 'openid');
    const res = await call(`${server.url}/api`, { headers: bearer(tokens.id_token ?? '') });
    expect(res.status).toBe(401);
  });

  it('rejects a token with an issued payload but signed by another key', async () => {
    const { access_token } = await token('forger');
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(claimsOf(access_token))
      .setProtectedHeader({ alg: 'RS256' })
      .sign(privateKey);
    const before = server.stats('forger');
    const res = await call(`${server.url}/api`, { headers: bearer(forged) });
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('invalid_token');
    // A forged token names no client we can trust, so only the totals see the rejection.
    expect(server.stats('forger')).toEqual(before);
  });

  it('rejects an expired token and counts the rejection for its client', async () => {
    const { access_token } = await token('short');
    expect((await call(`${server.url}/api`, { headers: bearer(access_token) })).status).toBe(200);
    await sleep(1100);
    const res = await call(`${server.url}/api`, { headers: bearer(access_token) });
    expect(res.status).toBe(401);
    expect(res.json.error_description).toMatch(/expired/);
    expect(server.stats('short')).toEqual({ tokenCalls: 1, apiCalls: 2, rejectedApiCalls: 1 });
  });

  it.each([
    ['no Authorization header', {}],
    ['a Basic header', { authorization: 'Basic dXNlcjpwdw==' }],
    ['a garbage token', bearer('not.a.jwt')],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('rejects %s with 401 and WWW-Authenticate', async (_name, headers) => {
    const totals = server.stats();
    const res = await call(`${server.url}/api/v1/orders`, { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(res.json).toEqual({ error: 'invalid_token', error_description: expect.any(String) });
    expect(server.stats()).toEqual({
      ...totals,
      apiCalls: totals.apiCalls + 1,
      rejectedApiCalls: totals.rejectedApiCalls + 1,
    });
  });
});
