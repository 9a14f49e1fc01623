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
  ecKeyPair,
  type KeyPair,
  signAssertion,
} from './assertion-helpers.js';
import { postForm, postFormTls } from './helpers.js';

const PATH = '/v1/oauth2/issue';
const HOUR_MS = 3600 * 1000;

describe('plain RFC 6749 endpoint with assertion and certificate clients', () => {
  let server: TokenServer;
  let keys: KeyPair;

  beforeAll(async () => {
    server = await startTokenServer({ mtls: true });
    keys = ecKeyPair();
    server.register({
      clientId: 'signing-app',
      grants: ['client_credentials'],
      publicKeys: [{ key: keys.publicPem }],
      tokenEndpointPath: PATH,
    });
    server.register({
      clientId: 'cert-app',
      grants: ['client_credentials'],
      certificate: { subject: 'CN=cert-app' },
      tokenEndpointPath: PATH,
    });
  });
  afterAll(() => server.close());

  it.each([
    ['the token URL', () => `${server.url}${PATH}`],
    ["the server's origin", () => server.url],
  ])('accepts an assertion with %s as audience', async (_name, aud) => {
    const assertion = await signAssertion(keys.privateKey, 'ES256', clientClaims('signing-app', aud()));
    const res = await postForm(`${server.url}${PATH}`, {
      grant_type: 'client_credentials',
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
    });
    expect(res.status).toBe(200);
  });

  it('refuses a wrong client_assertion_type, saying which one is expected', async () => {
    const assertion = await signAssertion(keys.privateKey, 'ES256', clientClaims('signing-app', server.url));
    const res = await postForm(`${server.url}${PATH}`, {
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer',
      client_assertion: assertion,
    });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({
      error: 'invalid_client',
      error_description: `client assertion refused: client_assertion_type must be ${CLIENT_ASSERTION_TYPE}`,
    });
  });

  it('authenticates a certificate client on the mTLS listener', async () => {
    const certificate = server.issueClientCertificate({ subject: 'cert-app' });
    const res = await postFormTls(
      `${server.mtlsUrl}${PATH}`,
      { grant_type: 'client_credentials', client_id: 'cert-app' },
      { ca: server.caCertificate ?? '', ...certificate },
    );
    expect(res.status).toBe(200);
  });

  it.each([
    ['no certificate', () => ({}), 'no certificate'],
    [
      'an expired certificate',
      () =>
        server.issueClientCertificate({
          subject: 'cert-app',
          notBefore: new Date(Date.now() - 3 * HOUR_MS),
          notAfter: new Date(Date.now() - HOUR_MS),
        }),
      'expired certificate',
    ],
    [
      'an untrusted certificate',
      () => issueClientCertificate(createCertificateAuthority(), { subject: 'cert-app' }),
      'untrusted certificate',
    ],
    [
      'a certificate for another subject',
      () => server.issueClientCertificate({ subject: 'other' }),
      'certificate mismatch',
    ],
  ])('refuses %s, naming the problem', async (_name, certificate, problem) => {
    const res = await postFormTls(
      `${server.mtlsUrl}${PATH}`,
      { grant_type: 'client_credentials', client_id: 'cert-app' },
      { ca: server.caCertificate ?? '', ...certificate() },
    );
    expect(res.status).toBe(401);
    expect(res.json).toEqual({
      error: 'invalid_client',
      error_description: `client certificate refused: ${problem}`,
    });
  });
});
