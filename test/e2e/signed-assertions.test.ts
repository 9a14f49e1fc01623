// Signed assertions end to end: specs with private_key_jwt (RS256, ES256), client_secret_jwt (HS256)
// and the JWT-bearer grant (RS256, Google-shaped) are built into collections, run with real Newman
// against a server on 127.0.0.1, and every assertion that reached the server is checked with jose
// against the public key or the secret: signature, iss, sub, aud, iat, exp and jti. RS256 is
// deterministic, so its signature is also compared byte for byte with node:crypto's.
import {
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  X509Certificate,
} from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { specArtifacts } from '../../src/pipeline/spec-artifacts.js';
import { createCertificateAuthority, issueClientCertificate } from '../../src/server/index.js';
import { parseSpec } from '../../src/spec/load-spec.js';
import type { Spec } from '../../src/spec/types.js';
import type { EnvironmentJson } from '../../src/targets/postman/generate-environment.js';
import { withValues } from '../../src/values/environment-fill.js';
import { type NewmanResult, runNewman } from '../../src/verify/run-newman.js';
import { type EchoServer, type Received, startEchoServer } from '../support/echo-server.js';

const ACCESS_TOKEN = 'opaque-access-token-of-the-test-server';
const CLIENT_SECRET = 'a client secret of at least 32 bytes for HS256';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsaPem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const ecPem = ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString();

let server: EchoServer;

beforeAll(async () => {
  server = await startEchoServer((request) =>
    request.url.startsWith('/token')
      ? JSON.stringify({ access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600 })
      : '{}',
  );
});
afterAll(async () => {
  await server.close();
});

function load(yaml: string): Spec {
  const result = parseSpec(yaml, 'test.yaml');
  if (!result.spec) throw new Error(result.problems.map((p) => p.message).join('; '));
  expect(result.problems).toEqual([]);
  return result.spec;
}

interface Run {
  result: NewmanResult;
  collectionText: string;
  environmentText: string;
  tokenRequests: Array<URLSearchParams>;
  apiRequests: Received[];
}

/** Builds the spec, fills its environment and runs its collection (every item, or the API only). */
async function run(spec: Spec, values: Record<string, string>, items: 'all' | 'api'): Promise<Run> {
  const [collectionFile, environmentFile] = specArtifacts(spec);
  const collectionText = collectionFile?.content ?? '';
  const environmentText = environmentFile?.content ?? '';
  const collection = JSON.parse(collectionText) as { item: unknown[] };
  const environment = JSON.parse(environmentText) as EnvironmentJson;
  server.received.length = 0;
  const result = await runNewman({
    collection: {
      ...collection,
      item: items === 'all' ? collection.item : collection.item.slice(1),
    } as never,
    environment: withValues(environment, { AuthUrl: server.url, ...values }) as never,
    reporters: [],
    timeoutRequest: 10_000,
  });
  const received = [...server.received];
  return {
    result,
    collectionText,
    environmentText,
    tokenRequests: received
      .filter((r) => r.url.startsWith('/token'))
      .map((r) => new URLSearchParams(r.body.toString('utf8'))),
    apiRequests: received.filter((r) => r.url.startsWith('/api')),
  };
}

const TOKEN_URL = () => `${server.url}/token`;

/** jose's verification of signature and claims, plus what RFC 7523 asks of iat, exp and jti. */
async function verifyAssertion(
  jwt: string,
  key: KeyObject,
  alg: string,
  expected: { iss: string; sub?: string; aud: string; lifetime: number },
) {
  const { payload, protectedHeader } = await jwtVerify(jwt, key, {
    algorithms: [alg],
    issuer: expected.iss,
    audience: expected.aud,
    ...(expected.sub ? { subject: expected.sub } : {}),
  });
  expect(protectedHeader.alg).toBe(alg);
  const now = Math.floor(Date.now() / 1000);
  expect(payload.iat).toBeGreaterThan(now - 120);
  expect(payload.iat).toBeLessThanOrEqual(now);
  expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(expected.lifetime);
  expect(payload.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  if (!expected.sub) expect(payload.sub).toBeUndefined();
  return { payload, protectedHeader };
}

function expectPassed(r: Run) {
  expect(r.result.failures).toEqual([]);
  expect(r.apiRequests.length).toBeGreaterThan(0);
  for (const api of r.apiRequests) expect(api.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
}

/** Neither the key nor an assertion is in a generated file; the environment's key is a secret. */
function expectNothingSecretGenerated(r: Run, secrets: string[]) {
  for (const secret of secrets) {
    for (const line of secret.split('\n').filter((l) => l.length > 20)) {
      expect(r.collectionText).not.toContain(line);
      expect(r.environmentText).not.toContain(line);
    }
  }
  expect(r.collectionText).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/);
}

function specYaml(token: string, variables: string): string {
  return `name: Signed
variables:
  AuthUrl: {}
${variables}
token:
  url: "{{AuthUrl}}/token"
${token}
requests:
  - name: Call the API
    url: "{{AuthUrl}}/api"
`;
}

describe('private_key_jwt', () => {
  const spec = (alg: string) =>
    load(
      specYaml(
        `  grant: client_credentials
  clientAuth: private_key_jwt
  clientId: "{{ClientId}}"
  scope: api.read
  assertion:
    alg: ${alg}
    key: "{{PrivateKey}}"
    kid: "{{KeyId}}"`,
        `  ClientId: {}
  KeyId: {}
  PrivateKey:
    secret: true`,
      ),
    );

  test('RS256: the script and the Get token request each sign an assertion the public key verifies, byte-identical to node:crypto', async () => {
    const r = await run(spec('RS256'), { ClientId: 'client-rs', KeyId: 'key-1', PrivateKey: rsaPem }, 'all');
    expectPassed(r);
    // The Get token request signs as it is sent; the API request then reuses the token it stored.
    expect(r.tokenRequests).toHaveLength(1);
    const form = r.tokenRequests[0] as URLSearchParams;
    expect([...form.keys()]).toEqual([
      'grant_type',
      'client_id',
      'client_assertion_type',
      'client_assertion',
      'scope',
    ]);
    expect(form.get('client_id')).toBe('client-rs');
    expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const jwt = form.get('client_assertion') ?? '';
    const { protectedHeader } = await verifyAssertion(jwt, rsa.publicKey, 'RS256', {
      iss: 'client-rs',
      sub: 'client-rs',
      aud: TOKEN_URL(),
      lifetime: 300,
    });
    expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'key-1' });
    const [header, payload, signature] = jwt.split('.');
    expect(Buffer.from(signature ?? '', 'base64url')).toEqual(
      sign('sha256', Buffer.from(`${header}.${payload}`), rsa.privateKey),
    );
    expectNothingSecretGenerated(r, [rsaPem]);

    // Without the Get token request, the script fetches the token itself before the API request.
    const scripted = await run(
      spec('RS256'),
      { ClientId: 'client-rs', KeyId: 'key-1', PrivateKey: rsaPem },
      'api',
    );
    expectPassed(scripted);
    expect(scripted.tokenRequests).toHaveLength(1);
    await verifyAssertion(scripted.tokenRequests[0]?.get('client_assertion') ?? '', rsa.publicKey, 'RS256', {
      iss: 'client-rs',
      sub: 'client-rs',
      aud: TOKEN_URL(),
      lifetime: 300,
    });
  });

  test('ES256 with a SEC1 key: verified by jose with the public key', async () => {
    const r = await run(spec('ES256'), { ClientId: 'client-ec', KeyId: 'ec-1', PrivateKey: ecPem }, 'api');
    expectPassed(r);
    const jwt = r.tokenRequests[0]?.get('client_assertion') ?? '';
    await verifyAssertion(jwt, createPublicKey(ec.privateKey), 'ES256', {
      iss: 'client-ec',
      sub: 'client-ec',
      aud: TOKEN_URL(),
      lifetime: 300,
    });
    expect(decodeProtectedHeader(jwt).kid).toBe('ec-1');
    // Only the family the spec signs with travels in the collection.
    expect(r.collectionText).toContain('ec.bundle.js: ES256');
    expect(r.collectionText).not.toContain('rsa.bundle.js');
    expect(r.collectionText).not.toContain('hmac.bundle.js');
    expectNothingSecretGenerated(r, [ecPem]);
  });

  test('a key that is not one fails the request with the signer sentence, and nothing is sent', async () => {
    // A key cut short, as a paste that lost its end.
    const lines = rsaPem.trim().split('\n');
    const garbled = [...lines.slice(0, 10), lines.at(-1)].join('\n');
    const r = await run(spec('RS256'), { ClientId: 'client-rs', KeyId: 'key-1', PrivateKey: garbled }, 'api');
    expect(r.tokenRequests).toHaveLength(0);
    expect(r.apiRequests).toHaveLength(0);
    expect(r.result.failures).toHaveLength(1);
    const message = r.result.failures[0]?.message ?? '';
    expect(message).toMatch(/^could not sign the assertion: tokenman signer: /);
    for (const line of garbled.split('\n').filter((l) => l.length > 20)) expect(message).not.toContain(line);
  });

  test('a vendor that quotes the assertion back in its error: the failure shows *** in its place', async () => {
    const seen: string[] = [];
    const refusing = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const jwt = new URLSearchParams(Buffer.concat(chunks).toString()).get('client_assertion') ?? '';
        seen.push(jwt);
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end(
            JSON.stringify({ error: 'invalid_client', error_description: `assertion ${jwt} is not trusted` }),
          );
      });
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
      const [collectionFile, environmentFile] = specArtifacts(spec('RS256'));
      const collection = JSON.parse(collectionFile?.content ?? '{}') as { item: unknown[] };
      const environment = JSON.parse(environmentFile?.content ?? '{}') as EnvironmentJson;
      const result = await runNewman({
        collection: { ...collection, item: collection.item.slice(1) } as never,
        environment: withValues(environment, {
          AuthUrl: url,
          ClientId: 'client-rs',
          KeyId: 'key-1',
          PrivateKey: rsaPem,
        }) as never,
        reporters: [],
        timeoutRequest: 10_000,
      });
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatch(/^eyJ/);
      expect(result.failures.map((f) => f.message)).toEqual([
        'the token endpoint refused: HTTP 401 Unauthorized: invalid_client: assertion *** is not trusted',
      ]);
    } finally {
      refusing.closeAllConnections();
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });

  test('an empty key is named before anything is signed', async () => {
    const r = await run(spec('RS256'), { ClientId: 'client-rs', KeyId: 'key-1', PrivateKey: '' }, 'api');
    expect(r.tokenRequests).toHaveLength(0);
    expect(r.result.failures.map((f) => f.message)).toEqual([
      expect.stringMatching(/^set PrivateKey in the environment/),
    ]);
  });
});

describe('private_key_jwt with a certificate (Entra)', () => {
  test('PS256 with the x5t#S256 thumbprint of the certificate in the header', async () => {
    const spec = load(
      specYaml(
        `  grant: client_credentials
  clientAuth: private_key_jwt
  clientId: "{{ClientId}}"
  scope: https://graph.microsoft.com/.default
  assertion:
    alg: PS256
    key: "{{PrivateKey}}"
    certificate: "{{Certificate}}"`,
        `  ClientId: {}
  Certificate: {}
  PrivateKey:
    secret: true`,
      ),
    );
    const { cert } = issueClientCertificate(createCertificateAuthority(), {
      subject: 'tokenman test app',
      publicKey: rsa.publicKey,
    });
    const r = await run(spec, { ClientId: 'app-1', Certificate: cert, PrivateKey: rsaPem }, 'api');
    expectPassed(r);
    const jwt = r.tokenRequests[0]?.get('client_assertion') ?? '';
    const { protectedHeader } = await verifyAssertion(jwt, rsa.publicKey, 'PS256', {
      iss: 'app-1',
      sub: 'app-1',
      aud: TOKEN_URL(),
      lifetime: 300,
    });
    const fingerprint = new X509Certificate(cert).fingerprint256.replace(/:/g, '');
    expect(protectedHeader['x5t#S256']).toBe(Buffer.from(fingerprint, 'hex').toString('base64url'));
    expect(protectedHeader.x5t).toBeUndefined();
  });
});

describe('client_secret_jwt', () => {
  test('HS256 signed with the client secret, which is never sent itself', async () => {
    const spec = load(
      specYaml(
        `  grant: client_credentials
  clientAuth: client_secret_jwt
  clientId: "{{ClientId}}"
  clientSecret: "{{ClientSecret}}"`,
        `  ClientId: {}
  ClientSecret:
    secret: true`,
      ),
    );
    const r = await run(spec, { ClientId: 'client-hs', ClientSecret: CLIENT_SECRET }, 'api');
    expectPassed(r);
    const form = r.tokenRequests[0] as URLSearchParams;
    expect([...form.keys()]).toEqual([
      'grant_type',
      'client_id',
      'client_assertion_type',
      'client_assertion',
    ]);
    await verifyAssertion(
      form.get('client_assertion') ?? '',
      createSecretKey(Buffer.from(CLIENT_SECRET)),
      'HS256',
      {
        iss: 'client-hs',
        sub: 'client-hs',
        aud: TOKEN_URL(),
        lifetime: 300,
      },
    );
    expect(r.collectionText).toContain('hmac.bundle.js: HS256');
    for (const request of server.received) expect(request.body.toString()).not.toContain(CLIENT_SECRET);
  });
});

describe('the JWT-bearer grant', () => {
  test('Google-shaped: iss the service account, a scope claim, aud the token URL, no sub and no client_id', async () => {
    const spec = load(
      specYaml(
        `  grant: urn:ietf:params:oauth:grant-type:jwt-bearer
  clientAuth: none
  assertion:
    alg: RS256
    key: "{{PrivateKey}}"
    kid: "{{PrivateKeyId}}"
    issuer: "{{ServiceAccountEmail}}"
    scope: https://www.googleapis.com/auth/cloud-platform
    lifetime: 3600`,
        `  ServiceAccountEmail: {}
  PrivateKeyId: {}
  PrivateKey:
    secret: true`,
      ),
    );
    const email = 'tokenman-test@project-1.iam.gserviceaccount.com';
    // As the key file holds it: one JSON string line with literal \n, pasted as is.
    const pasted = JSON.stringify(rsaPem).slice(1, -1);
    const r = await run(
      spec,
      { ServiceAccountEmail: email, PrivateKeyId: 'abc123', PrivateKey: pasted },
      'all',
    );
    expectPassed(r);
    const form = r.tokenRequests[0] as URLSearchParams;
    expect([...form.keys()]).toEqual(['grant_type', 'assertion']);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const jwt = form.get('assertion') ?? '';
    const { payload, protectedHeader } = await verifyAssertion(jwt, rsa.publicKey, 'RS256', {
      iss: email,
      aud: TOKEN_URL(),
      lifetime: 3600,
    });
    expect(payload.scope).toBe('https://www.googleapis.com/auth/cloud-platform');
    expect(protectedHeader.kid).toBe('abc123');
    const [header, claims, signature] = jwt.split('.');
    expect(Buffer.from(signature ?? '', 'base64url')).toEqual(
      sign('sha256', Buffer.from(`${header}.${claims}`), rsa.privateKey),
    );
    expectNothingSecretGenerated(r, [rsaPem]);
  });
});
