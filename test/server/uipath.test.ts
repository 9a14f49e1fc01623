import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { claimsOf, postForm } from './helpers.js';

const APP = { client_id: 'orchestrator-app', client_secret: 'app-secret' };

describe('UiPath identity dialect', () => {
  let server: TokenServer;

  beforeAll(async () => {
    server = await startTokenServer();
    server.register({
      clientId: APP.client_id,
      clientSecret: APP.client_secret,
      grants: ['client_credentials'],
      scopes: ['OR.Folders', 'OR.Jobs', 'OR.Queues'],
    });
  });
  afterAll(() => server.close());

  it.each([
    ['cloud', '/identity_/connect/token'],
    ['on-premises', '/identity/connect/token'],
  ])('issues a token on the %s path', async (_name, path) => {
    const res = await postForm(`${server.url}${path}`, {
      grant_type: 'client_credentials',
      ...APP,
      scope: 'OR.Folders OR.Jobs',
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      access_token: expect.any(String),
      expires_in: 3600,
      token_type: 'Bearer',
      scope: 'OR.Folders OR.Jobs',
    });
    const claims = claimsOf(res.json.access_token);
    expect(claims.iss).toBe(`${server.url}${path.replace('/connect/token', '')}`);
    expect(claims.scope).toBe('OR.Folders OR.Jobs');
  });

  it('grants every registered scope when none is requested', async () => {
    const res = await postForm(`${server.url}/identity_/connect/token`, {
      grant_type: 'client_credentials',
      ...APP,
    });
    expect(res.status).toBe(200);
    expect(res.json.scope).toBe('OR.Folders OR.Jobs OR.Queues');
  });

  it.each([
    [
      'a scope outside the registered ones',
      { grant_type: 'client_credentials', ...APP, scope: 'OR.Jobs OR.Admin' },
      'invalid_scope',
    ],
    ['a wrong secret', { grant_type: 'client_credentials', ...APP, client_secret: 'nope' }, 'invalid_client'],
    [
      'an unknown client',
      { grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' },
      'invalid_client',
    ],
    [
      'an unsupported grant',
      { grant_type: 'authorization_code', ...APP, code: 'abc' },
      'unsupported_grant_type',
    ],
  ])('answers %s with a bare error code', async (_name, fields, error) => {
    const res = await postForm(`${server.url}/identity_/connect/token`, fields);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error });
  });
});
