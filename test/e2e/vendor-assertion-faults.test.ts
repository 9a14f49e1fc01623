// What a user sees when a vendor refuses a signed assertion, for the shipped specs that sign one
// (Entra ID's certificate, Google's service account, Salesforce, Okta, Keycloak's Signed JWT), each
// run with real Newman against the embedded token server on 127.0.0.1, whose dialects judge the
// assertion in each vendor's words: a key the vendor does not have, a key id or certificate it does
// not know, and its clock ahead of or behind this computer's (server.skewClock). The script quotes
// the vendor and adds what to check; no example request goes out without a token. These are the
// rows of docs/troubleshooting.md's "Signed assertions" table.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  createCertificateAuthority,
  issueClientCertificate,
  startTokenServer,
  type TokenServer,
} from '../../src/server/index.js';
import type { Spec, VariantDef } from '../../src/spec/types.js';
import { runCollection } from '../support/run-collection.js';
import { loadValidSpec, SPECS_DIR } from '../support/specs.js';

type Vendor = 'entra' | 'google' | 'salesforce' | 'okta' | 'keycloak';

const SIGNING: Record<Vendor, { file: string; variant?: string }> = {
  entra: { file: 'microsoft-entra-id.yaml', variant: 'certificate' },
  google: { file: 'google-service-account.yaml' },
  salesforce: { file: 'salesforce.yaml', variant: 'production' },
  okta: { file: 'okta.yaml' },
  keycloak: { file: 'keycloak.yaml', variant: 'private-key-jwt' },
};
const VENDORS = Object.keys(SIGNING) as Vendor[];

const loaded = new Map<Vendor, { spec: Spec; variant: VariantDef }>();
for (const vendor of VENDORS) {
  const { file, variant: key } = SIGNING[vendor];
  const spec = await loadValidSpec(new URL(file, SPECS_DIR).pathname);
  const variant = spec.variants.find((v) => v.key === (key ?? ''));
  if (!variant) throw new Error(`${file} has no variant ${key ?? '(default)'}`);
  loaded.set(vendor, { spec, variant });
}

const CLOCK_HINT = "the assertion's iat and exp come from this computer's clock: check that it is right";
const KEY_HINT = 'check that PrivateKey is the private key the vendor has registered';

// A key pair the vendor never saw, and a certificate of it.
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const strangerPem = stranger.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const strangerCertificate = issueClientCertificate(createCertificateAuthority(), {
  subject: 'not uploaded to the app',
  publicKey: stranger.publicKey,
}).cert;

let server: TokenServer;
beforeAll(async () => {
  server = await startTokenServer();
});
afterEach(() => {
  server.skewClock(0);
});
afterAll(async () => {
  await server.close();
});

/** Runs the vendor's example request alone, so the script fetches the token; its refusal as the user sees it. */
async function refusal(vendor: Vendor, values: Record<string, string> = {}) {
  const { spec, variant } = loaded.get(vendor) as { spec: Spec; variant: VariantDef };
  const run = await runCollection(spec, variant, server, { items: 'api', values });
  // One attempt, and nothing sent without a token.
  expect(run.stats.tokenCalls).toBe(1);
  expect(run.stats.apiCalls).toBe(0);
  const line = run.failures.map((f) => `${f.test}: ${f.message}`).find((t) => t.startsWith('tokenman: '));
  return line ?? run.failureText;
}

/** Passes with one token call. */
async function passes(vendor: Vendor) {
  const { spec, variant } = loaded.get(vendor) as { spec: Spec; variant: VariantDef };
  const run = await runCollection(spec, variant, server, { items: 'api' });
  expect(run.failureText).toBe('');
  expect(run.stats.tokenCalls).toBe(1);
}

describe('signed with a key the vendor does not have', () => {
  const words: Record<Vendor, string> = {
    entra:
      'HTTP 401 Unauthorized: invalid_client: AADSTS700027: Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value.]',
    google: 'HTTP 400 Bad Request: invalid_grant: Invalid JWT Signature.',
    salesforce: 'HTTP 400 Bad Request: invalid_grant: invalid assertion',
    okta: 'HTTP 401 Unauthorized: invalid_client: The client_assertion signature is invalid.',
    keycloak:
      'HTTP 400 Bad Request: invalid_client: Client authentication with signed JWT failed: Signature on JWT token failed validation',
  };
  test.each(VENDORS)('%s', async (vendor) => {
    const text = await refusal(vendor, { PrivateKey: strangerPem });
    expect(text).toContain(`the token endpoint refused: ${words[vendor]}`);
    expect(text).toContain(KEY_HINT);
    expect(text).not.toContain('PRIVATE KEY');
  });
});

describe('a key id or certificate the vendor does not know', () => {
  const cases: Array<[Vendor, Record<string, string>, string, string]> = [
    [
      'entra',
      { Certificate: strangerCertificate },
      'HTTP 401 Unauthorized: invalid_client: AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was not found.]',
      'and Certificate its certificate',
    ],
    [
      'google',
      { PrivateKeyId: 'a-retired-private-key-id' },
      'HTTP 400 Bad Request: invalid_grant: Invalid JWT Signature.',
      'and PrivateKeyId its key id',
    ],
    [
      'okta',
      { KeyId: 'a-deleted-key' },
      'HTTP 401 Unauthorized: invalid_client: The client_assertion JWT kid is invalid.',
      'and KeyId its key id',
    ],
  ];
  test.each(cases)('%s', async (vendor, values, words, hint) => {
    const text = await refusal(vendor, values);
    expect(text).toContain(`the token endpoint refused: ${words}`);
    expect(text).toContain(hint);
  });
});

describe("the vendor's clock 2 hours ahead: the assertion has expired as the vendor judges it", () => {
  const words: Record<Vendor, string> = {
    entra:
      'HTTP 401 Unauthorized: invalid_client: AADSTS700024: Client assertion is not within its valid time range. Current time: ',
    google:
      'HTTP 400 Bad Request: invalid_grant: Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
    salesforce: 'HTTP 400 Bad Request: invalid_grant: expired authorization code',
    okta: 'HTTP 401 Unauthorized: invalid_client: The client_assertion token is expired.',
    keycloak:
      'HTTP 400 Bad Request: invalid_client: Client authentication with signed JWT failed: Token is not active',
  };
  test.each(VENDORS)('%s', async (vendor) => {
    server.skewClock(2 * 3600);
    const text = await refusal(vendor);
    expect(text).toContain(`the token endpoint refused: ${words[vendor]}`);
    if (vendor === 'entra') expect(text).toMatch(/Current time: \S+, expired at \d{4}-/);
    expect(text).toContain(CLOCK_HINT);
    expect(text).not.toContain(KEY_HINT);
  });
});

describe("the vendor's clock 10 minutes behind: the assertion is issued in its future", () => {
  const words: Record<Vendor, string> = {
    entra:
      'HTTP 401 Unauthorized: invalid_client: AADSTS700024: Client assertion is not within its valid time range. Current time: ',
    google:
      'HTTP 400 Bad Request: invalid_grant: Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.',
    salesforce: 'HTTP 400 Bad Request: invalid_grant: invalid assertion',
    okta: 'HTTP 401 Unauthorized: invalid_client: The client_assertion token was issued in the future.',
    keycloak:
      'HTTP 400 Bad Request: invalid_client: Client authentication with signed JWT failed: Token was issued in the future',
  };
  test.each(VENDORS)('%s', async (vendor) => {
    server.skewClock(-600);
    const text = await refusal(vendor);
    expect(text).toContain(`the token endpoint refused: ${words[vendor]}`);
    if (vendor === 'entra') expect(text).toMatch(/Current time: \S+, issued in the future \(\d{4}-/);
    expect(text).toContain(CLOCK_HINT);
  });
});

describe("the vendor's clock 2 minutes ahead: within every vendor's skew and lifetime but Keycloak's (a minute)", () => {
  test.each(VENDORS.filter((v) => v !== 'keycloak'))('%s accepts it', async (vendor) => {
    server.skewClock(120);
    await passes(vendor);
  });
  test('keycloak refuses it', async () => {
    server.skewClock(120);
    const text = await refusal('keycloak');
    expect(text).toContain(
      'the token endpoint refused: HTTP 400 Bad Request: invalid_client: Client authentication with signed JWT failed: Token is not active',
    );
    expect(text).toContain(CLOCK_HINT);
  });
});
