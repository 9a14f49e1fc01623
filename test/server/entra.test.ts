import { createHash, X509Certificate } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCertificateAuthority,
  issueClientCertificate,
  startTokenServer,
  type TokenServer,
} from '../../src/server/index.js';
import {
  CLIENT_ASSERTION_TYPE,
  clientClaims,
  type KeyPair,
  nowSeconds,
  rsaKeyPair,
  signAssertion,
} from './assertion-helpers.js';
import { call, claimsOf, postForm } from './helpers.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const APP = '6731de76-14a6-49ae-97bc-6eba6914391e';
const SECRET_APP = '11111111-2222-3333-4444-555555555555';
const SECRET = 'qWe8Q~a-client-secret-value';
const SCOPE = 'https://graph.microsoft.com/.default';

describe('Microsoft Entra ID dialect', () => {
  let server: TokenServer;
  let tokenUrl: string;
  let keys: KeyPair;
  let stranger: KeyPair;
  let thumbprint: string;

  beforeAll(async () => {
    server = await startTokenServer();
    tokenUrl = `${server.url}/${TENANT}/oauth2/v2.0/token`;
    keys = rsaKeyPair();
    stranger = rsaKeyPair();
    // The certificate uploaded to the app registration: only its key and thumbprint matter.
    const { cert } = issueClientCertificate(createCertificateAuthority(), {
      subject: 'entra-app',
      publicKey: keys.publicKey,
    });
    thumbprint = createHash('sha256').update(new X509Certificate(cert).raw).digest('base64url');
    server.register({
      clientId: APP,
      grants: ['client_credentials'],
      scopes: [SCOPE],
      publicKeys: [{ key: cert }],
    });
    server.register({
      clientId: SECRET_APP,
      clientSecret: SECRET,
      grants: ['client_credentials'],
      scopes: [SCOPE],
    });
  });
  afterAll(() => server.close());

  const certificateCall = (assertion: string, extra: Record<string, string> = {}) =>
    postForm(tokenUrl, {
      scope: SCOPE,
      client_id: APP,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
      grant_type: 'client_credentials',
      ...extra,
    });
  const signed = (overrides: JWTPayload = {}, alg = 'PS256', header: Record<string, unknown> = {}) =>
    signAssertion(keys.privateKey, alg, clientClaims(APP, tokenUrl, { nbf: nowSeconds(), ...overrides }), {
      'x5t#S256': thumbprint,
      ...header,
    });

  it('issues a token for a PS256 certificate assertion with x5t#S256, in Entra shape', async () => {
    const res = await certificateCall(await signed());
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual([
      'access_token',
      'expires_in',
      'ext_expires_in',
      'token_type',
    ]);
    expect(claimsOf(res.json.access_token)).toMatchObject({
      client_id: APP,
      iss: `${server.url}/${TENANT}/v2.0`,
    });
  });

  it('accepts RS256, which earlier revisions of the documentation used', async () => {
    expect((await certificateCall(await signed({}, 'RS256'))).status).toBe(200);
  });

  it('issues a token for a client secret in the body', async () => {
    const res = await postForm(tokenUrl, {
      client_id: SECRET_APP,
      scope: SCOPE,
      client_secret: SECRET,
      grant_type: 'client_credentials',
    });
    expect(res.status).toBe(200);
  });

  const cases: Array<[string, () => Promise<string>, number, string, number]> = [
    [
      'a wrong key',
      () =>
        signAssertion(stranger.privateKey, 'PS256', clientClaims(APP, tokenUrl), { 'x5t#S256': thumbprint }),
      401,
      'invalid_client',
      700027,
    ],
    [
      'a thumbprint of no registered certificate',
      () => signed({}, 'PS256', { 'x5t#S256': 'AAAA' }),
      401,
      'invalid_client',
      700027,
    ],
    [
      'a wrong audience',
      () =>
        signAssertion(keys.privateKey, 'PS256', clientClaims(APP, `${server.url}/common/oauth2/v2.0/token`), {
          'x5t#S256': thumbprint,
        }),
      401,
      'invalid_client',
      700023,
    ],
    [
      'an expired assertion',
      () => signed({ iat: nowSeconds() - 1200, nbf: nowSeconds() - 1200, exp: nowSeconds() - 900 }),
      401,
      'invalid_client',
      700024,
    ],
    [
      'an iat ten minutes ahead',
      () => signed({ iat: nowSeconds() + 600, nbf: nowSeconds(), exp: nowSeconds() + 900 }),
      401,
      'invalid_client',
      700024,
    ],
    [
      'a lifetime over ten minutes',
      () => signed({ exp: nowSeconds() + 3600 }),
      401,
      'invalid_client',
      700024,
    ],
    [
      'ES256',
      async () =>
        'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiI2NzMxZGU3Ni0xNGE2LTQ5YWUtOTdiYy02ZWJhNjkxNDM5MWUiLCJpc3MiOiI2NzMxZGU3Ni0xNGE2LTQ5YWUtOTdiYy02ZWJhNjkxNDM5MWUifQ.c2ln',
      401,
      'invalid_client',
      5002738,
    ],
  ];

  it.each(cases)('refuses %s with its AADSTS code', async (_name, make, status, error, code) => {
    const res = await certificateCall(await make());
    expect(res.status).toBe(status);
    expect(res.json).toMatchObject({ error, error_codes: [code] });
    expect(res.json.error_description).toMatch(
      new RegExp(
        `^AADSTS${code}: .+\\r\\nTrace ID: [0-9a-f-]{36}\\r\\nCorrelation ID: [0-9a-f-]{36}\\r\\nTimestamp: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$`,
      ),
    );
    expect(Object.keys(res.json).sort()).toEqual([
      'correlation_id',
      'error',
      'error_codes',
      'error_description',
      'error_uri',
      'timestamp',
      'trace_id',
    ]);
  });

  it('refuses a replayed assertion', async () => {
    const assertion = await signed();
    expect((await certificateCall(assertion)).status).toBe(200);
    const again = await certificateCall(assertion);
    expect(again.status).toBe(401);
    expect(again.json.error).toBe('invalid_client');
    expect(again.json.error_description).toContain('already used');
  });

  it.each([
    ['a wrong client secret', { client_id: SECRET_APP, client_secret: 'nope', scope: SCOPE }, 401, 7000215],
    ['no credential at all', { client_id: SECRET_APP, scope: SCOPE }, 401, 7000216],
    [
      'an unknown application',
      { client_id: 'ffffffff-0000-0000-0000-000000000000', client_secret: 'x', scope: SCOPE },
      400,
      700016,
    ],
    ['no scope', { client_id: SECRET_APP, client_secret: SECRET }, 400, 900144],
    [
      'no client_id beside the assertion',
      {
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: 'x.y.z',
        scope: SCOPE,
      },
      400,
      900144,
    ],
    [
      'a scope without /.default',
      { client_id: SECRET_APP, client_secret: SECRET, scope: 'User.Read' },
      400,
      1002012,
    ],
  ])('answers %s with AADSTS%s', async (_name, fields, status, code) => {
    const res = await postForm(tokenUrl, { grant_type: 'client_credentials', ...fields });
    expect(res.status).toBe(status);
    expect(res.json.error_codes).toEqual([code]);
    expect(res.json.error_description).toMatch(new RegExp(`^AADSTS${code}: `));
  });

  it('names the unknown application and tenant like Entra does', async () => {
    const res = await postForm(tokenUrl, {
      grant_type: 'client_credentials',
      client_id: 'nobody',
      client_secret: 'x',
      scope: SCOPE,
    });
    expect(res.json.error).toBe('unauthorized_client');
    expect(res.json.error_description).toContain(
      `Application with identifier 'nobody' was not found in the directory '${TENANT}'`,
    );
  });

  it('publishes the tenant discovery document', async () => {
    const res = await call(`${server.url}/${TENANT}/v2.0/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ issuer: `${server.url}/${TENANT}/v2.0`, token_endpoint: tokenUrl });
  });
});
