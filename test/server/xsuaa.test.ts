import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { basicRaw, basicRfc, call, claimsOf, postForm } from './helpers.js';

const CLIENT = 'sb-orders!t4711|xsuaa!b1234';
const SECRET = 'a1b2:c3+d4/e5=';
const BAD_CREDENTIALS = { error: 'unauthorized', error_description: 'Bad credentials' };

describe('XSUAA dialect', () => {
  let server: TokenServer;
  let tokenUrl: string;

  beforeAll(async () => {
    server = await startTokenServer();
    tokenUrl = `${server.url}/oauth/token`;
    server.register({
      clientId: CLIENT,
      clientSecret: SECRET,
      grants: ['client_credentials', 'password'],
      users: [{ username: 'alice@example.com', password: 'Passw0rd!123456' }],
      scopes: ['orders.read', 'uaa.resource'],
      lifetime: 600,
    });
  });
  afterAll(() => server.close());

  it.each([
    ['raw Basic', { authorization: basicRaw(CLIENT, SECRET) }, {}],
    ['RFC-encoded Basic', { authorization: basicRfc(CLIENT, SECRET) }, {}],
    ['body credentials', {}, { client_id: CLIENT, client_secret: SECRET }],
  ])('issues a client_credentials token with %s', async (_name, headers, fields) => {
    const res = await postForm(tokenUrl, { grant_type: 'client_credentials', ...fields }, headers);
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual([
      'access_token',
      'expires_in',
      'jti',
      'scope',
      'token_type',
    ]);
    expect(res.json).toMatchObject({
      token_type: 'bearer',
      expires_in: 600,
      scope: 'orders.read uaa.resource',
    });
    const claims = claimsOf(res.json.access_token);
    expect(claims).toMatchObject({ iss: tokenUrl, client_id: CLIENT, sub: CLIENT, jti: res.json.jti });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(600);
  });

  it('accepts the query-string GET style', async () => {
    const query = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: CLIENT,
      client_secret: SECRET,
    });
    const res = await call(`${tokenUrl}?${query}`);
    expect(res.status).toBe(200);
    expect(claimsOf(res.json.access_token).client_id).toBe(CLIENT);
  });

  it('issues a refresh token for the password grant, comparing the password with its passcode as is', async () => {
    const res = await postForm(
      tokenUrl,
      {
        grant_type: 'password',
        username: 'alice@example.com',
        password: 'Passw0rd!123456',
        scope: 'orders.read',
      },
      { authorization: basicRaw(CLIENT, SECRET) },
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ token_type: 'bearer', scope: 'orders.read' });
    expect(typeof res.json.refresh_token).toBe('string');
    expect(claimsOf(res.json.access_token).sub).toBe('alice@example.com');
  });

  it.each([
    ['a wrong client secret', basicRaw(CLIENT, 'nope'), { grant_type: 'client_credentials' }],
    ['an unknown client', basicRaw('sb-unknown!t1', SECRET), { grant_type: 'client_credentials' }],
    ['no client credentials', undefined, { grant_type: 'client_credentials' }],
    [
      'a wrong user password',
      basicRaw(CLIENT, SECRET),
      { grant_type: 'password', username: 'alice@example.com', password: 'Passw0rd!' },
    ],
    [
      'an unknown user',
      basicRaw(CLIENT, SECRET),
      { grant_type: 'password', username: 'mallory', password: 'Passw0rd!123456' },
    ],
  ])('answers %s with 401 Bad credentials', async (_name, authorization, fields) => {
    const res = await postForm(tokenUrl, fields, authorization ? { authorization } : {});
    expect(res.status).toBe(401);
    expect(res.json).toEqual(BAD_CREDENTIALS);
  });

  it.each(['authorization_code', 'urn:ietf:params:oauth:grant-type:saml2-bearer'])(
    'rejects the unsupported grant %s',
    async (grant) => {
      const res = await postForm(
        tokenUrl,
        { grant_type: grant },
        { authorization: basicRaw(CLIENT, SECRET) },
      );
      expect(res.status).toBe(400);
      expect(res.json.error).toBe('unsupported_grant_type');
      expect(typeof res.json.error_description).toBe('string');
    },
  );
});
