import { createPrivateKey, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCertificateAuthority,
  issueClientCertificate,
  startTokenServer,
  type TokenServer,
} from '../../src/server/index.js';
import { bearer, call, claimsOf, postForm, postFormTls } from './helpers.js';

const CLIENT = 'sb-orders!t4711|xsuaa!b1234';
const THUMB_CLIENT = 'sb-thumb!t4711';
const BAD_CREDENTIALS = { error: 'unauthorized', error_description: 'Bad credentials' };
const HOUR_MS = 3600 * 1000;

describe('certificates from the test CA', () => {
  it('chain to the CA, carry the subject and validity asked for, and say clientAuth', () => {
    const ca = createCertificateAuthority();
    const notBefore = new Date(Date.now() - 2 * HOUR_MS);
    const notAfter = new Date(Date.now() - HOUR_MS);
    const issued = issueClientCertificate(ca, {
      subject: { commonName: 'orders', organization: 'ACME' },
      notBefore,
      notAfter,
    });
    const cert = new X509Certificate(issued.cert);
    const caCert = new X509Certificate(ca.cert);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.subject.split('\n').sort()).toEqual(['CN=orders', 'O=ACME']);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(new Date(cert.validTo).getTime()).toBe(Math.floor(notAfter.getTime() / 1000) * 1000);
    expect(cert.checkPrivateKey(createPrivateKey(issued.key))).toBe(true);
    expect(caCert.ca).toBe(true);
    expect(cert.ca).toBe(false);
  });
});

describe('XSUAA certificate endpoint on the mTLS listener', () => {
  let server: TokenServer;
  let ca: string;
  let good: { cert: string; key: string };

  beforeAll(async () => {
    server = await startTokenServer({ mtls: true });
    ca = server.caCertificate ?? '';
    good = server.issueClientCertificate({ subject: { commonName: 'orders-service', organization: 'ACME' } });
    server.register({
      clientId: CLIENT,
      grants: ['client_credentials'],
      scopes: ['orders.read'],
      certificate: { subject: 'CN=orders-service, O=ACME' },
    });
  });
  afterAll(() => server.close());

  const tokenUrl = () => `${server.mtlsUrl}/oauth/token`;
  const cc = { grant_type: 'client_credentials', client_id: CLIENT };

  it('listens on its own HTTPS port with a server certificate for 127.0.0.1 from the exposed CA', () => {
    expect(server.mtlsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(server.mtlsUrl).not.toBe(server.url);
    expect(server.url).toMatch(/^http:/);
  });

  it('issues a token to a client whose certificate names the registered subject, with client_id in the body', async () => {
    const res = await postFormTls(tokenUrl(), cc, { ca, ...good });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ token_type: 'bearer', scope: 'orders.read' });
    expect(claimsOf(res.json.access_token)).toMatchObject({ client_id: CLIENT, iss: tokenUrl() });
    const api = await call(`${server.url}/api/orders`, { headers: bearer(res.json.access_token) });
    expect(api.status).toBe(200);
    expect(server.stats(CLIENT).tokenCalls).toBeGreaterThan(0);
  });

  it('matches a client by the SHA-256 thumbprint of its certificate', async () => {
    const own = server.issueClientCertificate({ subject: 'thumb-client' });
    const fingerprint = new X509Certificate(own.cert).fingerprint256;
    server.register({
      clientId: THUMB_CLIENT,
      grants: ['client_credentials'],
      certificate: { thumbprintSha256: fingerprint },
    });
    const ok = await postFormTls(tokenUrl(), { ...cc, client_id: THUMB_CLIENT }, { ca, ...own });
    expect(ok.status).toBe(200);
    const other = await postFormTls(tokenUrl(), { ...cc, client_id: THUMB_CLIENT }, { ca, ...good });
    expect(other.status).toBe(401);
    expect(other.json).toEqual(BAD_CREDENTIALS);
  });

  it.each([
    ['no certificate', () => ({})],
    ['an expired certificate', () => expired()],
    [
      'a certificate from another CA',
      () =>
        issueClientCertificate(createCertificateAuthority(), {
          subject: { commonName: 'orders-service', organization: 'ACME' },
        }),
    ],
    ['a trusted certificate with another subject', () => serverCert({ subject: 'someone-else' })],
  ])('answers %s with 401 Bad credentials', async (_name, certificate) => {
    const res = await postFormTls(tokenUrl(), cc, { ca, ...certificate() });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(BAD_CREDENTIALS);
  });

  it('does not let a certificate client in on the plain listener without its certificate', async () => {
    const res = await postForm(`${server.url}/oauth/token`, cc);
    expect(res.status).toBe(401);
    expect(res.json).toEqual(BAD_CREDENTIALS);
  });

  it('names the certificate endpoint in the discovery document as an mTLS alias', async () => {
    const res = await call(`${server.url}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      token_endpoint: `${server.url}/oauth/token`,
      mtls_endpoint_aliases: { token_endpoint: tokenUrl() },
    });
    expect(res.json.token_endpoint_auth_methods_supported).toContain('tls_client_auth');
  });

  function expired() {
    return server.issueClientCertificate({
      subject: { commonName: 'orders-service', organization: 'ACME' },
      notBefore: new Date(Date.now() - 48 * HOUR_MS),
      notAfter: new Date(Date.now() - 24 * HOUR_MS),
    });
  }
  function serverCert(options: { subject: string }) {
    return server.issueClientCertificate(options);
  }
});

describe('a given CA', () => {
  it('signs the listener certificate and the client certificates', async () => {
    const ca = createCertificateAuthority('my CA');
    const server = await startTokenServer({ mtls: { ca } });
    try {
      expect(server.caCertificate).toBe(ca.cert);
      const client = issueClientCertificate(ca, { subject: 'given-ca-client' });
      server.register({
        clientId: 'given',
        grants: ['client_credentials'],
        certificate: { subject: 'CN=given-ca-client' },
      });
      const res = await postFormTls(
        `${server.mtlsUrl}/oauth/token`,
        { grant_type: 'client_credentials', client_id: 'given' },
        { ca: ca.cert, ...client },
      );
      expect(res.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('is needed for issueClientCertificate', async () => {
    const server = await startTokenServer();
    try {
      expect(server.mtlsUrl).toBeUndefined();
      expect(() => server.issueClientCertificate({ subject: 'x' })).toThrow(/mtls option/);
    } finally {
      await server.close();
    }
  });
});
