// The generated pre-request script, proven in real Newman runs against the embedded token server on
// 127.0.0.1, for every seed vendor's dialect.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { runCollection, seedVariants } from '../support/run-collection.js';
import { loadValidSpec, seedSpecFiles } from '../support/specs.js';

const variants = await seedVariants(seedSpecFiles, loadValidSpec);
let server: TokenServer;

beforeAll(async () => {
  // mtls: the seed specs' x509 variants fetch their token over mutual TLS.
  server = await startTokenServer({ mtls: true });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.injectFault(null);
});

// A private key the vendor never registered: the wrong credential of a variant that signs.
const strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

// What each vendor's token endpoint says when the client secret, password, API key or private key
// is wrong, by spec or by `spec (variant)` where the variants differ.
const WRONG_CREDENTIAL_MESSAGE: Record<string, { variable: string; message: string; value?: string }> = {
  'sap-ai-core': {
    variable: 'ClientSecret',
    message: 'HTTP 401 Unauthorized: unauthorized: Bad credentials',
  },
  'sap-cloud-management': {
    variable: 'ClientSecret',
    message: 'HTTP 401 Unauthorized: unauthorized: Bad credentials',
  },
  biotz: { variable: 'Password', message: 'HTTP 401 Unauthorized: invalid_grant: Invalid user credentials' },
  'ibm-api-connect': { variable: 'Password', message: 'HTTP 401 Unauthorized: Invalid username or password' },
  'uipath-orchestrator': { variable: 'ClientSecret', message: 'HTTP 400 Bad Request: invalid_client' },
  // Mutual TLS: no secret; a client id the certificate is not registered for is refused alike.
  'sap-ai-core (x509)': {
    variable: 'ClientId',
    message: 'HTTP 401 Unauthorized: unauthorized: Bad credentials; with clientAuth tls',
  },
  'sap-cloud-management (x509)': {
    variable: 'ClientId',
    message: 'HTTP 401 Unauthorized: unauthorized: Bad credentials; with clientAuth tls',
  },
  'ibm-api-connect (api-key)': { variable: 'ApiKey', message: 'HTTP 401 Unauthorized: Invalid API key' },
  'microsoft-entra-id (client-secret)': {
    variable: 'ClientSecret',
    message: 'HTTP 401 Unauthorized: invalid_client: AADSTS7000215: Invalid client secret provided.',
  },
  'microsoft-entra-id (certificate)': {
    variable: 'PrivateKey',
    value: strangerKey,
    message:
      'HTTP 401 Unauthorized: invalid_client: AADSTS700027: Client assertion contains an invalid signature.',
  },
  'google-service-account': {
    variable: 'PrivateKey',
    value: strangerKey,
    message: 'HTTP 400 Bad Request: invalid_grant: Invalid JWT Signature.',
  },
  salesforce: {
    variable: 'PrivateKey',
    value: strangerKey,
    message: 'HTTP 400 Bad Request: invalid_grant: invalid assertion',
  },
  okta: {
    variable: 'PrivateKey',
    value: strangerKey,
    message: 'HTTP 401 Unauthorized: invalid_client: The client_assertion signature is invalid.',
  },
  'keycloak (client-secret-jwt)': {
    variable: 'ClientSecret',
    message:
      'HTTP 400 Bad Request: invalid_client: Client authentication with signed JWT failed: Signature on JWT token failed validation',
  },
  'keycloak (private-key-jwt)': {
    variable: 'PrivateKey',
    value: strangerKey,
    message:
      'HTTP 400 Bad Request: invalid_client: Client authentication with signed JWT failed: Signature on JWT token failed validation',
  },
};

describe.each(variants)('$label', ({ spec, variant, label }) => {
  test('the script fetches one token and every request is authorised with it', async () => {
    const run = await runCollection(spec, variant, server, { items: 'api', extra: 50 });
    expect(run.failureText).toBe('');
    expect(run.assertions.failed).toBe(0);
    // Only the spec's own request carries a status check; copies stand for requests a user adds.
    expect(run.assertions.total).toBeGreaterThanOrEqual(1);
    const stats = run.stats;
    expect(stats.tokenCalls).toBe(1);
    expect(stats.apiCalls).toBeGreaterThanOrEqual(51);
    expect(stats.rejectedApiCalls).toBe(0);
    expect(run.environment.Token).toMatch(/^eyJ/);
    expect(Number(run.environment.TokenExpiresAt)).toBeGreaterThan(Date.now());
  });

  test('the visible "Get token" request passes its checks and stores the token', async () => {
    const run = await runCollection(spec, variant, server, { items: 'all' });
    expect(run.failureText).toBe('');
    const names = run.summary.run.executions.flatMap((e) => (e.assertions ?? []).map((a) => a.assertion));
    expect(names).toEqual(
      expect.arrayContaining(['token endpoint answers 2xx', 'token_type says bearer (any case)']),
    );
    expect(run.stats.rejectedApiCalls).toBe(0);
  });

  test('a wrong credential fails the run with the vendor error, sends no request and never shows the secret', async () => {
    const wrong = WRONG_CREDENTIAL_MESSAGE[label] ?? WRONG_CREDENTIAL_MESSAGE[spec.id];
    if (!wrong) throw new Error(`no wrong-credential case for ${label}`);
    const marker = wrong.value ?? `wrong-${wrong.variable}-5f2a9c`;
    const run = await runCollection(spec, variant, server, {
      items: 'api',
      values: { [wrong.variable]: marker },
    });
    expect(run.failureText).toContain(wrong.message);
    expect(run.failureText).not.toContain(marker);
    expect(run.stats.apiCalls).toBe(0);
    expect(run.environment.Token ?? '').toBe('');
  });
});

/** A real token of the embedded server, to put in a token response of our own making. */
async function mintToken(): Promise<string> {
  const minter = {
    clientId: 'minter',
    clientSecret: 'minter-secret',
    grants: ['client_credentials' as const],
  };
  server.register(minter);
  const response = await fetch(`${server.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=minter&client_secret=minter-secret',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

describe('failure paths of the token endpoint (XSUAA dialect)', () => {
  const xsuaa = variants.find((v) => v.spec.id === 'sap-ai-core');
  if (!xsuaa) throw new Error('sap-ai-core spec missing');

  test.each([
    [
      'a 5xx',
      { status: 503, body: '', contentType: 'text/plain' },
      'the token endpoint refused: HTTP 503 Service Unavailable with an empty body',
    ],
    [
      'an HTML page with status 200',
      { status: 200, body: '<html><body>Login</body></html>', contentType: 'text/html' },
      'the token endpoint answered HTTP 200 but not with a JSON object (text/html, 31 characters, not shown as they may hold a token)',
    ],
    [
      'an empty body with status 200',
      { status: 200, body: '', contentType: 'application/json' },
      'the token endpoint answered HTTP 200 but not with a JSON object: an empty body',
    ],
    [
      'JSON without the token field',
      { status: 200, body: '{"token_type":"bearer","expires_in":3600}' },
      'the token endpoint answered without a token in "access_token" (fields: token_type, expires_in)',
    ],
    [
      'a token field of the wrong type',
      { status: 200, body: '{"access_token":12345,"token_type":"bearer"}' },
      'the token endpoint answered without a token in "access_token" (fields: access_token, token_type)',
    ],
    [
      'a 4xx with an OAuth error',
      { status: 403, body: '{"error":"access_denied","error_description":"Tenant locked"}' },
      'HTTP 403 Forbidden: access_denied: Tenant locked',
    ],
  ])('%s fails the run with a message that names it', async (_, fault, message) => {
    server.injectFault(fault);
    const run = await runCollection(xsuaa.spec, xsuaa.variant, server, { items: 'api', extra: 2 });
    expect(run.failureText).toContain(message);
    expect(run.assertions.failed).toBeGreaterThan(0);
    expect(run.stats.apiCalls).toBe(0);
  });

  test('the Get token request to an endpoint that does not answer says so, not "HTTP undefined"', async () => {
    const closed = await startTokenServer();
    const url = closed.url;
    await closed.close();
    const run = await runCollection(xsuaa.spec, xsuaa.variant, server, {
      items: 'all',
      values: { AuthUrl: url },
    });
    expect(run.failureText).toContain(
      'Get token (Client secret) › token endpoint answers 2xx: no answer from the token endpoint; see the request error',
    );
    expect(run.failureText).not.toContain('undefined');
  });

  test('a failing endpoint is asked once per retryAfter window, not once per request', async () => {
    server.injectFault({ status: 503, body: '{"error":"temporarily_unavailable"}' });
    const run = await runCollection(xsuaa.spec, xsuaa.variant, server, { items: 'api', extra: 20 });
    expect(run.stats.tokenCalls).toBe(1);
    expect(run.stats.apiCalls).toBe(0);
    expect(run.assertions.failed).toBe(21);
    expect(run.failureText).toContain(
      'HTTP 503 Service Unavailable: temporarily_unavailable (not retried for another',
    );
  });

  test('a secret echoed in a vendor error is blanked out of the failure', async () => {
    const echoed = 'echoed-secret-6b1f0c';
    server.injectFault({
      status: 401,
      body: JSON.stringify({ error: 'invalid_client', error_description: `bad secret ${echoed}` }),
    });
    const run = await runCollection(xsuaa.spec, xsuaa.variant, server, {
      items: 'api',
      values: { ClientSecret: echoed },
    });
    expect(run.failureText).toContain('invalid_client: bad secret ***');
    expect(run.failureText).not.toContain(echoed);
  });

  // 1e306 s puts the expiry past what a number holds (Infinity: never fresh, a token call before
  // every request); 1e300 s is finite but would keep a token for ever. Both are capped at a year.
  test.each([1e306, 1e300])(
    'expires_in %d is capped at a year: one token call for the run',
    async (expiresIn) => {
      const token = await mintToken();
      server.injectFault({
        status: 200,
        body: `{"access_token":"${token}","token_type":"bearer","expires_in":${expiresIn}}`,
      });
      const started = Date.now();
      const minted = server.stats('minter');
      const run = await runCollection(xsuaa.spec, xsuaa.variant, server, { items: 'api', extra: 4 });
      expect(run.failureText).toBe('');
      expect(run.stats.tokenCalls).toBe(1);
      // The API calls are counted for the client the token was minted for.
      const api = server.stats('minter');
      expect(api.apiCalls - minted.apiCalls).toBe(5);
      expect(api.rejectedApiCalls - minted.rejectedApiCalls).toBe(0);
      const year = 365 * 24 * 3600 * 1000;
      const expiresAt = Number(run.environment.TokenExpiresAt);
      expect(expiresAt).toBeGreaterThanOrEqual(started + year);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + year);
    },
  );

  test('an expired token is fetched again, and no request goes out with an expired one', async () => {
    const run = await runCollection(xsuaa.spec, xsuaa.variant, server, {
      items: 'api',
      extra: 5,
      client: { lifetime: 2 },
      delayRequest: 400,
    });
    expect(run.failureText).toBe('');
    const stats = run.stats;
    expect(stats.tokenCalls).toBeGreaterThanOrEqual(2);
    expect(stats.tokenCalls).toBeLessThanOrEqual(4);
    expect(stats.rejectedApiCalls).toBe(0);
  });
});

describe('refresh tokens (Keycloak dialect)', () => {
  const keycloak = variants.find((v) => v.spec.id === 'biotz');
  if (!keycloak) throw new Error('biotz spec missing');

  test('an expired token is renewed and the run goes on', async () => {
    const run = await runCollection(keycloak.spec, keycloak.variant, server, {
      items: 'api',
      extra: 4,
      client: { lifetime: 2 },
      delayRequest: 500,
    });
    expect(run.failureText).toBe('');
    expect(run.stats.tokenCalls).toBeGreaterThanOrEqual(2);
    expect(run.stats.rejectedApiCalls).toBe(0);
    expect(run.environment.RefreshToken).toBeTruthy();
  });

  test('a refused refresh token falls back to the password grant once', async () => {
    // Call 1 (the grant) succeeds, call 2 (the refresh) is refused, call 3 (the grant again) succeeds.
    server.injectFault({
      status: 400,
      body: '{"error":"invalid_grant","error_description":"Invalid refresh token"}',
      after: 1,
      times: 1,
    });
    const run = await runCollection(keycloak.spec, keycloak.variant, server, {
      items: 'api',
      extra: 1,
      client: { lifetime: 2 },
      delayRequest: 1_100,
    });
    expect(run.failureText).toBe('');
    expect(run.stats.tokenCalls).toBe(3);
    expect(run.stats.rejectedApiCalls).toBe(0);
  });

  test('when the fallback grant fails too, the run fails with its message and no stale token is used', async () => {
    server.injectFault({
      status: 401,
      body: '{"error":"invalid_grant","error_description":"Account disabled"}',
      after: 1,
    });
    const run = await runCollection(keycloak.spec, keycloak.variant, server, {
      items: 'api',
      extra: 1,
      client: { lifetime: 2 },
      delayRequest: 1_100,
    });
    expect(run.failureText).toContain('invalid_grant: Account disabled');
    // The grant, the refused refresh, the refused fallback grant: never more.
    expect(run.stats.tokenCalls).toBe(3);
    expect(run.stats.apiCalls).toBe(1);
  });
});
