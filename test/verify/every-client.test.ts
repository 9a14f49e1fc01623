// Every client runs a spec's files alike: Newman, the Postman CLI (the v2.1 collection and the
// Collection v3 folder; the newest binary and the oldest wrapper's), and bru run. Against a
// stand-in vendor that logs what each request carries: every run passes with the same checks, no
// token request carries a Bearer header (a v3 runner would put the collection's auth on the
// script's own requests), Basic client authentication arrives as the script wrote it, and every
// API request carries the token.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyCollections } from '../../src/verify/verify-collections.js';
import type { VerifyOutcome } from '../../src/verify/verify-types.js';
import { SPECS_DIR } from '../support/specs.js';
import { startVendorServer, type VendorServer } from '../support/vendor-server.js';

interface Seen {
  path: string;
  authorization: string;
}

let vendor: VendorServer;
const seen: Seen[] = [];
let issued = 0;

beforeAll(async () => {
  vendor = await startVendorServer((request) => {
    seen.push({ path: request.url ?? '', authorization: String(request.headers.authorization ?? '') });
    if (request.url?.startsWith('/oauth/token')) {
      issued += 1;
      return {
        body: JSON.stringify({ access_token: `tok-${issued}`, token_type: 'bearer', expires_in: 3600 }),
      };
    }
    const bearer = /^Bearer tok-\d+$/.test(String(request.headers.authorization ?? ''));
    return bearer ? { body: '{"guid":"ga"}' } : { status: 401, body: '{"error":"unauthorized"}' };
  });
});
afterAll(() => vendor.close());

const CLIENT_ID = 'sb-na-1!b2|cis!b3';
const CLIENT_SECRET = 'vendor-secret-&=+#%';

/** The four runners' outcomes of sap-cloud-management's Basic-authenticated variants. */
async function runEveryClient(postmanCli?: string): Promise<VerifyOutcome[]> {
  seen.length = 0;
  const result = await verifyCollections({
    files: [join(SPECS_DIR.pathname, 'sap-cloud-management.yaml')],
    local: false,
    client: postmanCli ? 'postman-cli' : 'all',
    ...(postmanCli ? { postmanCli } : {}),
    variants: ['password', 'client-credentials'],
    envVars: {
      UaaUrl: vendor.url,
      AccountsServiceUrl: vendor.url,
      ClientId: CLIENT_ID,
      ClientSecret: CLIENT_SECRET,
      Username: 'ada',
      Password: 'pass-word',
    },
  });
  expect(result.problems).toEqual([]);
  return result.outcomes;
}

function expectAlike(outcomes: VerifyOutcome[], runners: number): void {
  for (const outcome of outcomes) expect(outcome.failures, outcome.label).toEqual([]);
  expect(outcomes.every((outcome) => outcome.passed)).toBe(true);
  expect(outcomes).toHaveLength(2 * runners);
  // Per variant, every runner made the same checks.
  for (const variant of ['password', 'client-credentials']) {
    const totals = outcomes.filter((o) => o.variant === variant).map((o) => o.assertions.total);
    expect(new Set(totals).size, `${variant}: ${totals.join(', ')}`).toBe(1);
  }
}

function expectTokenRequestsClean(): void {
  const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`, 'utf8').toString('base64')}`;
  const tokenRequests = seen.filter((request) => request.path.startsWith('/oauth/token'));
  expect(tokenRequests.length).toBeGreaterThan(0);
  for (const request of tokenRequests) expect(request.authorization).toBe(basic);
  const apiRequests = seen.filter((request) => request.path.startsWith('/accounts/'));
  expect(apiRequests.length).toBeGreaterThan(0);
  for (const request of apiRequests) expect(request.authorization).toMatch(/^Bearer tok-\d+$/);
}

describe('every client, one run a variant', () => {
  test('Newman, the Postman CLI (v2.1 and v3) and bru run pass alike; no token request carries Bearer', async () => {
    const outcomes = await runEveryClient();
    expectAlike(outcomes, 4);
    expect(new Set(outcomes.map((o) => o.client ?? 'newman'))).toEqual(
      new Set(['newman', 'postman-cli', 'postman-cli-v3', 'bruno']),
    );
    expectTokenRequestsClean();
  });

  test('the oldest Postman CLI wrapper (its binary 1.34.0) runs the v2.1 and v3 files alike', async () => {
    const binary = join(
      dirname(createRequire(import.meta.url).resolve('postman-cli-1.34/package.json')),
      'bin',
      'postman',
    );
    const outcomes = await runEveryClient(binary);
    expectAlike(outcomes, 2);
    expectTokenRequestsClean();
  });
});
