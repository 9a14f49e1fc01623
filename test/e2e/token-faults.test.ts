// Faults of the token endpoint the generated script must survive, each in a real Newman run against
// the embedded server on 127.0.0.1: the run fails (or recovers, where that is right) with a message
// that names the cause, and no request goes out without a good token.
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { runCollection, seedVariants } from '../support/run-collection.js';
import { loadValidSpec } from '../support/specs.js';

const [xsuaa] = await seedVariants(
  [new URL('../../specs/sap-ai-core.yaml', import.meta.url).pathname],
  loadValidSpec,
);
if (!xsuaa) throw new Error('sap-ai-core spec missing');
let server: TokenServer;

beforeAll(async () => {
  server = await startTokenServer();
  server.register({
    clientId: 'minter',
    clientSecret: 'minter-secret',
    grants: ['client_credentials'],
    lifetime: 900,
  });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.injectFault(null);
});

/** A real token of the embedded server, to put in a token response of our own making. */
async function mintToken(): Promise<string> {
  const response = await fetch(`${server.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=minter&client_secret=minter-secret',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

describe('where the expiry comes from', () => {
  test.each([
    ['expires_in missing', undefined],
    ['expires_in zero', 0],
    ['expires_in negative', -30],
    ['expires_in a string', '3600'],
  ])('%s: the JWT exp is used', async (_, expiresIn) => {
    const token = await mintToken();
    const exp = decodeJwt(token).exp ?? 0;
    server.injectFault({
      status: 200,
      body: JSON.stringify({ access_token: token, token_type: 'bearer', expires_in: expiresIn }),
    });
    const run = await runCollection(xsuaa.spec, xsuaa.variant, server, { items: 'api', extra: 3 });
    expect(run.failureText).toBe('');
    expect(run.stats.tokenCalls).toBe(1);
    expect(Number(run.environment.TokenExpiresAt)).toBe(exp * 1000);
  });

  test('neither expires_in nor a JWT: the fallback lifetime (300 s)', async () => {
    server.injectFault({ status: 200, body: '{"access_token":"opaque-token-value","token_type":"bearer"}' });
    const started = Date.now();
    const run = await runCollection(xsuaa.spec, xsuaa.variant, server, { items: 'api' });
    const expiresAt = Number(run.environment.TokenExpiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(started + 300_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 300_000);
    // The opaque token is not one the server issued: the API refuses it, and the run says so.
    expect(run.failureText).toContain('answers 2xx with the token: HTTP 401');
  });
});

describe('an endpoint that cannot be reached', () => {
  test('a slow endpoint past the request timeout fails the run naming the timeout', async () => {
    server.injectFault({ status: 200, body: '{}', delayMs: 3_000 });
    const run = await runCollection(xsuaa.spec, xsuaa.variant, server, { items: 'api', timeoutRequest: 500 });
    expect(run.failureText).toMatch(
      /could not reach the token endpoint http:\/\/127\.0\.0\.1:\d+\/oauth\/token: .*(ETIMEDOUT|ESOCKETTIMEDOUT|timeout)/i,
    );
    expect(run.stats.apiCalls).toBe(0);
  });

  test('connection refused fails the run naming the host', async () => {
    const closed = await startTokenServer();
    const url = closed.url;
    await closed.close();
    const run = await runCollection(xsuaa.spec, xsuaa.variant, server, {
      items: 'api',
      values: { AuthUrl: url },
    });
    expect(run.failureText).toContain(`could not reach the token endpoint ${url}/oauth/token: ECONNREFUSED`);
    expect(run.stats.apiCalls).toBe(0);
  });

  test('an empty required variable fails before anything is sent, naming it', async () => {
    const run = await runCollection(xsuaa.spec, xsuaa.variant, server, {
      items: 'api',
      values: { ClientId: '' },
    });
    expect(run.failureText).toContain('set ClientId in the environment');
    expect(run.stats.tokenCalls).toBe(0);
    expect(run.stats.apiCalls).toBe(0);
  });
});

describe('a self-signed certificate', () => {
  let tlsServer: TokenServer;
  beforeAll(async () => {
    const { generate } = await import('selfsigned');
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keySize: 2048,
      algorithm: 'sha256',
    });
    tlsServer = await startTokenServer({ tls: { key: pems.private, cert: pems.cert } });
  });
  afterAll(async () => {
    await tlsServer.close();
  });

  test("with the spec's insecure: true (API Connect) the run passes", async () => {
    const [apic] = await seedVariants(
      [new URL('../../specs/ibm-api-connect.yaml', import.meta.url).pathname],
      loadValidSpec,
    );
    if (!apic) throw new Error('ibm-api-connect spec missing');
    expect(apic.variant.token.insecure).toBe(true);
    const run = await runCollection(apic.spec, apic.variant, tlsServer, { items: 'all' });
    expect(tlsServer.url).toMatch(/^https:/);
    expect(run.failureText).toBe('');
    expect(run.stats.rejectedApiCalls).toBe(0);
  });

  test('without it the run fails naming the certificate problem, and nothing is sent', async () => {
    expect(xsuaa.variant.token.insecure).toBe(false);
    const run = await runCollection(xsuaa.spec, xsuaa.variant, tlsServer, { items: 'api' });
    expect(run.failureText).toMatch(
      /could not reach the token endpoint https:\/\/127\.0\.0\.1:\d+\/oauth\/token: .*(self[- ]signed|DEPTH_ZERO_SELF_SIGNED_CERT)/i,
    );
    expect(run.stats.tokenCalls).toBe(0);
    expect(run.stats.apiCalls).toBe(0);
  });
});
