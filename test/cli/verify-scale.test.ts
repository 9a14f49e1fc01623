// `verify` over many specs: how many token requests a vendor sees at once (--concurrency, --per-host),
// and how --shard splits the runs between CI jobs. Real Newman, servers on 127.0.0.1 only.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { type CliResult, ROOT, runCli } from '../support/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'tokenman-scale-'));
const SECRET = 'tenant-secret-5e2b81aa';
const CLIENT = 'sb-tenant!b42|cis!b7';
const COPIES = 30;

/**
 * A vendor's token endpoint in front of the embedded server: each token request is held 150 ms (so
 * runs that start together overlap) and counted while in flight. The benchmark's proxy, so the two
 * count alike.
 */
interface CountingProxy {
  url: string;
  counts: { inFlight: number; most: number; total: number };
  reset(): void;
  close(): Promise<void>;
}
const { startCountingProxy } = (await import(new URL('../../bench/measure.mjs', import.meta.url).href)) as {
  startCountingProxy(target: string, options: { delayMs: number }): Promise<CountingProxy>;
};

let vendor: TokenServer;
let tokenHost: CountingProxy;
const specsDir = join(work, 'specs');
const distDir = join(work, 'dist');

beforeAll(async () => {
  vendor = await startTokenServer();
  vendor.register({ clientId: CLIENT, clientSecret: SECRET, grants: ['client_credentials'] });
  // Each token answer held long enough that runs started a little apart still overlap at the host,
  // however slowly a busy machine starts them: the cap, not the machine, must be what bounds them.
  tokenHost = await startCountingProxy(vendor.url, { delayMs: 800 });
  // Copies of one seed spec, each its own collection, all against the one tenant.
  mkdirSync(specsDir, { recursive: true });
  const seed = readFileSync(join(ROOT, 'specs', 'sap-ai-core.yaml'), 'utf8');
  for (let i = 0; i < COPIES; i += 1) {
    const n = String(i).padStart(2, '0');
    writeFileSync(join(specsDir, `ai-core-${n}.yaml`), seed.replace(/^name: (.*)$/m, `name: $1 ${n}`));
  }
  const built = await runCli(['build', '--specs', specsDir, '--out', distDir, '-q']);
  expect(built.stderr).toBe('');
  expect(built.code).toBe(0);
});
afterAll(async () => {
  await tokenHost?.close();
  await vendor?.close();
  rmSync(work, { recursive: true, force: true });
});

const tenant = () => ({
  TOKENMAN_AUTH_URL: tokenHost.url,
  TOKENMAN_AI_API_URL: vendor.url,
  TOKENMAN_DEPLOYMENT_ID: 'd123',
  TOKENMAN_CLIENT_ID: CLIENT,
  TOKENMAN_CLIENT_SECRET: SECRET,
});

/** One verify of all the copies with --concurrency 16, run once, for the tests that read it. */
let allCopies: Promise<{ result: CliResult; counts: CountingProxy['counts'] }> | undefined;
function verifyAllCopies() {
  allCopies ??= (async () => {
    tokenHost.reset();
    const result = await runCli(
      [
        'verify',
        '--remote',
        '--variant',
        'client-secret',
        '--specs',
        specsDir,
        '--dist',
        distDir,
        '--concurrency',
        '16',
      ],
      {
        env: tenant(),
      },
    );
    return { result, counts: { ...tokenHost.counts } };
  })();
  return allCopies;
}

describe('token requests in flight against one tenant', () => {
  test(`${COPIES} specs with --concurrency 16: never more than 8 at once (the per-host default)`, async () => {
    const { result, counts } = await verifyAllCopies();
    expect(result.stdout).toContain(`${COPIES} passed, 0 failed`);
    expect(result.code).toBe(0);
    expect(counts.total).toBe(COPIES);
    expect(counts.most).toBeLessThanOrEqual(8);
    // Runs do overlap: the cap is what holds them back, not a run at a time.
    expect(counts.most).toBeGreaterThan(1);
  });

  test('--concurrency 3 and --per-host 2 each bound it', async () => {
    // Twelve of the copies are enough to go past both limits.
    const twelve = readdirSync(specsDir)
      .sort()
      .slice(0, 12)
      .map((file) => join(specsDir, file));
    const verify = (...flags: string[]) =>
      runCli(
        [
          'verify',
          '--remote',
          ...twelve,
          '--variant',
          'client-secret',
          '--specs',
          specsDir,
          '--dist',
          distDir,
          '-q',
          ...flags,
        ],
        {
          env: tenant(),
        },
      );
    tokenHost.reset();
    const three = await verify('--concurrency', '3');
    expect(three.stdout).toContain('12 passed, 0 failed');
    expect(tokenHost.counts.most).toBeLessThanOrEqual(3);

    tokenHost.reset();
    const two = await verify('--concurrency', '16', '--per-host', '2');
    expect(two.stdout).toContain('12 passed, 0 failed');
    expect(tokenHost.counts.most).toBeLessThanOrEqual(2);
    expect(`${three.stdout}${three.stderr}${two.stdout}${two.stderr}`).not.toContain(SECRET);
  });

  // The same verify as the first test: up to 8 runs at once finish in any order.
  test('lines come in spec order however the runs finish', async () => {
    const { result } = await verifyAllCopies();
    const labels = [...result.stdout.matchAll(/^PASS {2}(\S+)/gm)].map((m) => m[1]);
    expect(labels).toEqual(Array.from({ length: COPIES }, (_, i) => `ai-core-${String(i).padStart(2, '0')}`));
  });
});

describe('--shard i/n', () => {
  test('the shards of 3 run every seed variant once between them, each writing its own reports', async () => {
    const reports = join(work, 'reports');
    const shards = await Promise.all(
      [1, 2, 3].map((i) =>
        runCli([
          'verify',
          '--local',
          '--shard',
          `${i}/3`,
          '-r',
          'junit',
          '--reporters-dir',
          reports,
          '--format',
          'json',
        ]),
      ),
    );
    const labels = shards.map((shard) => {
      expect(shard.code).toBe(0);
      return (JSON.parse(shard.stdout).outcomes as Array<{ label: string }>).map((o) => o.label);
    });
    expect(labels.flat().sort()).toEqual([
      'biotz',
      'google-service-account',
      'ibm-api-connect (api-key)',
      'ibm-api-connect (password)',
      'keycloak (client-secret-jwt)',
      'keycloak (private-key-jwt)',
      'microsoft-entra-id (certificate)',
      'microsoft-entra-id (client-secret)',
      'okta',
      'salesforce (production)',
      'salesforce (sandbox)',
      'sap-ai-core (client-secret)',
      'sap-ai-core (x509)',
      'sap-cloud-management (client-credentials)',
      'sap-cloud-management (password)',
      'sap-cloud-management (x509)',
      'uipath-orchestrator (cloud)',
      'uipath-orchestrator (on-premises)',
    ]);
    expect(labels.map((l) => l.length).sort()).toEqual([6, 6, 6]);
    // Merged artifacts of the three jobs keep every report: each shard has its own folder.
    expect(readdirSync(reports).sort()).toEqual(['shard-1-of-3', 'shard-2-of-3', 'shard-3-of-3']);
    const files = ['shard-1-of-3', 'shard-2-of-3', 'shard-3-of-3'].map((dir) =>
      readdirSync(join(reports, dir)),
    );
    expect(files.map((f) => f.length)).toEqual(labels.map((l) => l.length));
  });

  test('a shard beyond the runs there are has nothing to do, and says so', async () => {
    const result = await runCli(['verify', '--local', 'specs/biotz.yaml', '--shard', '2/2']);
    expect(result.stdout).toContain('shard 2/2 has no runs: the specs make 1 run(s) in all');
    expect(result.code).toBe(0);
  });

  test.each(['0/2', '3/2', 'x'])('--shard %s is a one-sentence usage error', async (value) => {
    const result = await runCli(['verify', '--local', '--shard', value]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `tokenman: --shard takes i/n with 1 ≤ i ≤ n, e.g. --shard 1/4, got "${value}"\n`,
    );
  });

  test('--concurrency and --per-host take whole numbers from 1', async () => {
    const zero = await runCli(['verify', '--local', '--concurrency', '0']);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toBe(
      'tokenman: --concurrency takes a whole number from 1 to 1000 (runs at once), got "0"\n',
    );
    const word = await runCli(['verify', '--local', '--per-host', 'many']);
    expect(word.code).toBe(1);
    expect(word.stderr).toBe(
      'tokenman: --per-host takes a whole number from 1 to 1000 (runs at once), got "many"\n',
    );
  });
});
