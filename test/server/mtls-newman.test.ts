import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { runNewman } from '../../src/verify/run-newman.js';

const CLIENT = 'sb-x509!t4711';

/** Real Newman with its own client-certificate options against the mTLS listener. */
describe('the mTLS listener with Newman', () => {
  let server: TokenServer;
  let dir: string;

  beforeAll(async () => {
    server = await startTokenServer({ mtls: true });
    server.register({
      clientId: CLIENT,
      grants: ['client_credentials'],
      certificate: { subject: 'CN=x509-client' },
    });
    dir = mkdtempSync(join(tmpdir(), 'tokenman-mtls-'));
    writeFileSync(join(dir, 'ca.pem'), server.caCertificate ?? '');
    const good = server.issueClientCertificate({ subject: 'x509-client' });
    writeFileSync(join(dir, 'good.pem'), good.cert);
    writeFileSync(join(dir, 'good.key'), good.key);
    const expired = server.issueClientCertificate({
      subject: 'x509-client',
      notBefore: new Date(Date.now() - 48 * 3600 * 1000),
      notAfter: new Date(Date.now() - 24 * 3600 * 1000),
    });
    writeFileSync(join(dir, 'expired.pem'), expired.cert);
    writeFileSync(join(dir, 'expired.key'), expired.key);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const collection = () => ({
    info: { name: 'mtls', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    item: [
      {
        name: 'token',
        request: {
          method: 'POST',
          url: `${server.mtlsUrl}/oauth/token`,
          body: {
            mode: 'urlencoded',
            urlencoded: [
              { key: 'grant_type', value: 'client_credentials' },
              { key: 'client_id', value: CLIENT },
            ],
          },
        },
        event: [
          {
            listen: 'test',
            script: {
              exec: [
                "pm.test('token issued', function () { pm.response.to.have.status(200); });",
                "if (pm.response.code === 200) pm.environment.set('Token', pm.response.json().access_token);",
              ],
            },
          },
        ],
      },
      {
        name: 'api',
        request: {
          method: 'GET',
          url: `${server.url}/api`,
          header: [{ key: 'Authorization', value: 'Bearer {{Token}}' }],
        },
        event: [
          {
            listen: 'test',
            script: { exec: ["pm.test('api', function () { pm.response.to.have.status(200); });"] },
          },
        ],
      },
    ],
  });

  const run = (certificate: 'good' | 'expired') => {
    // The list goes in a file, as `--ssl-client-cert-list` takes it (and as Newman's typings allow).
    // A pattern without a port matches only 443; the listener has a port of its own.
    const list = join(dir, `${certificate}-certs.json`);
    writeFileSync(
      list,
      JSON.stringify([
        {
          name: 'test client',
          matches: ['https://127.0.0.1:*/*'],
          key: { src: join(dir, `${certificate}.key`) },
          cert: { src: join(dir, `${certificate}.pem`) },
        },
      ]),
    );
    return runNewman({
      collection: collection(),
      environment: { values: [{ key: 'Token', value: '' }] },
      reporters: [],
      sslExtraCaCerts: join(dir, 'ca.pem'),
      sslClientCertList: list,
    });
  };

  it('gets a token with the client certificate and uses it at the API', async () => {
    const before = server.stats(CLIENT);
    const result = await run('good');
    expect(result.failures).toEqual([]);
    expect(result.assertions).toEqual({ total: 2, failed: 0 });
    const after = server.stats(CLIENT);
    expect(after.tokenCalls - before.tokenCalls).toBe(1);
    expect(after.apiCalls - before.apiCalls).toBe(1);
    expect(after.rejectedApiCalls).toBe(before.rejectedApiCalls);
  });

  it('is refused with an expired certificate, in XSUAA words', async () => {
    const result = await run('expired');
    expect(result.failures.map((failure) => `${failure.item}: ${failure.message}`)).toEqual([
      'token: expected response to have status code 200 but got 401',
      'api: expected response to have status code 200 but got 401',
    ]);
  });
});
