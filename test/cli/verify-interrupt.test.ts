// `tokenman verify --reporter junit,json` stopped by SIGTERM (a CI job's timeout) while one run is
// finished and another waits on its API: the finished run's reports stay, redacted; nothing else is
// left on disk, and no report held a secret or a token at any moment.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ROOT, runCli } from '../support/run-cli.js';
import { startVendorServer, type VendorServer } from '../support/vendor-server.js';

const marker = (name: string) => `${name}-${randomBytes(8).toString('hex')}`;
const SECRET = marker('interrupt-secret');
const ACCESS = marker('opaque-access');
const REFRESH = marker('opaque-refresh');
const COOKIE = marker('cookie');
const VALUES = [SECRET, ACCESS, REFRESH, COOKIE];

const work = mkdtempSync(join(tmpdir(), 'tokenman-interrupt-'));
const specs = join(work, 'specs');
const dist = join(work, 'dist');
const reports = join(work, 'reports');
// The child's os.tmpdir(): whatever it leaves there is this run's.
const childTmp = join(work, 'tmp');
let vendor: VendorServer;

function spec(name: string, path: string): string {
  return [
    `name: ${name}`,
    'variables:',
    '  AuthUrl: {}',
    '  ClientId: {}',
    '  ClientSecret:',
    '    secret: true',
    'token:',
    '  url: "{{AuthUrl}}/oauth/token"',
    '  grant: client_credentials',
    '  clientAuth: body',
    '  clientId: "{{ClientId}}"',
    '  clientSecret: "{{ClientSecret}}"',
    '  refresh: false',
    'requests:',
    `  - name: ${name} call`,
    `    url: "{{AuthUrl}}${path}"`,
    '    expect: 200',
    '',
  ].join('\n');
}

beforeAll(async () => {
  mkdirSync(specs);
  mkdirSync(reports);
  mkdirSync(childTmp);
  writeFileSync(join(specs, 'fast.yaml'), spec('Fast', '/fast'));
  writeFileSync(join(specs, 'slow.yaml'), spec('Slow', '/slow'));
  const built = await runCli(['build', '--specs', specs, '--out', dist]);
  expect(built.stderr).toBe('');
  vendor = await startVendorServer((request) => {
    if (request.url?.startsWith('/oauth/token')) {
      return {
        headers: { 'set-cookie': `session=${COOKIE}; Path=/; HttpOnly` },
        body: JSON.stringify({
          access_token: ACCESS,
          refresh_token: REFRESH,
          token_type: 'bearer',
          expires_in: 600,
        }),
      };
    }
    if (request.url === '/fast') return { body: '{"ok":true}' };
    return undefined; // /slow never answers: its run is in flight when the signal comes
  });
});
afterAll(async () => {
  await vendor.close();
  rmSync(work, { recursive: true, force: true });
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test('SIGTERM mid-run: exit 143, finished reports redacted, no raw report at any moment, nothing left over', async () => {
  // Every change in the reports folder is read at once: a report holding a secret even for a
  // moment (written raw, redacted afterwards) is caught.
  const seenInReports = new Set<string>();
  const watcher = watch(reports, () => {
    for (const name of readdirSync(reports)) {
      let text = '';
      try {
        text = readFileSync(join(reports, name), 'utf8');
      } catch {
        continue; // renamed away between listing and reading
      }
      for (const value of VALUES) if (text.includes(value)) seenInReports.add(`${name}: ${value}`);
    }
  });
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'bin/tokenman.js'),
      'verify',
      '--remote',
      '--specs',
      specs,
      '--dist',
      dist,
      '--reporter',
      'junit,json',
      '--reporters-dir',
      reports,
      // Far longer than the test waits: the run in flight must be cut short, not timed out.
      '--timeout-request',
      '120000',
      '--env-var',
      `AuthUrl=${vendor.url}`,
      '--env-var',
      'ClientId=interrupt-client',
      '--env-var',
      `ClientSecret=${SECRET}`,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', TMPDIR: childTmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  try {
    await until(
      () => existsSync(join(reports, 'fast.json')) && vendor.paths.includes('/slow'),
      'the fast report',
    );
    const stoppedAt = Date.now();
    child.kill('SIGTERM');
    const { code, signal } = await exited;
    expect(Date.now() - stoppedAt).toBeLessThan(15_000);
    expect({ code, signal }).toEqual({ code: 143, signal: null });
  } finally {
    child.kill('SIGKILL');
    watcher.close();
  }
  expect(stderr).toContain(`tokenman: stopped by SIGTERM; reports of finished runs are in ${reports}/`);
  expect(stdout).toMatch(/^PASS {2}fast {2}/m);
  expect(readdirSync(reports).sort()).toEqual(['fast.json', 'fast.junit.xml']);
  expect(readdirSync(childTmp)).toEqual([]);
  expect([...seenInReports]).toEqual([]);
  const outputs = [
    ['stdout', stdout],
    ['stderr', stderr],
    ...readdirSync(reports).map((name) => [name, readFileSync(join(reports, name), 'utf8')]),
  ];
  for (const [name, text] of outputs) for (const value of VALUES) expect(text, name).not.toContain(value);
});

test('SIGTERM to verify --local as its runs start: exit 143, no raw report, nothing left over', async () => {
  const localReports = join(work, 'local-reports');
  const localTmp = join(work, 'local-tmp');
  mkdirSync(localReports);
  mkdirSync(localTmp);
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'bin/tokenman.js'),
      'verify',
      '--local',
      '--reporter',
      'junit,json',
      '--reporters-dir',
      localReports,
      '--env-var',
      `ClientSecret=${SECRET}`,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', TMPDIR: localTmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    // A private folder appears as each run is about to start Newman.
    await until(() => readdirSync(localTmp).length > 0, 'a run to start');
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
  } finally {
    child.kill('SIGKILL');
  }
  expect(output).toContain('tokenman: stopped by SIGTERM');
  expect(readdirSync(localTmp)).toEqual([]);
  const left = readdirSync(localReports);
  expect(left.filter((name) => name.endsWith('.tmp'))).toEqual([]);
  for (const name of left) {
    const text = readFileSync(join(localReports, name), 'utf8');
    expect(text, name).not.toContain(SECRET);
    expect(text, name).not.toMatch(/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\./);
  }
  expect(output).not.toContain(SECRET);
});

// a second signal while bru ran left $TMPDIR/tokenman-bru-*/environment.yml with the
// run's values; a SIGKILL during a mutual-TLS run left tokenman-tls-*/client.key, and later runs
// never removed either. Private folders are now removed at exit whatever the signal, and each
// run sweeps the ones a dead run of this user left.
test('a second signal while bru runs: exit at once, and no folder of values left in TMPDIR', async () => {
  const bruTmp = join(work, 'bru-tmp');
  mkdirSync(bruTmp);
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'bin/tokenman.js'),
      'verify',
      '--remote',
      join(specs, 'slow.yaml'),
      '--specs',
      specs,
      '--dist',
      dist,
      '--client',
      'bruno',
      '--env-var',
      `AuthUrl=${vendor.url}`,
      '--env-var',
      'ClientId=interrupt-client',
      '--env-var',
      `ClientSecret=${SECRET}`,
    ],
    { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', TMPDIR: bruTmp }, stdio: 'ignore' },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await until(
      () => readdirSync(bruTmp).some((name) => existsSync(join(bruTmp, name, 'environment.yml'))),
      'bru to run with its values',
    );
    // A second signal of another kind is never merged with the first.
    child.kill('SIGTERM');
    child.kill('SIGINT');
    expect([130, 143]).toContain(await exited);
  } finally {
    child.kill('SIGKILL');
  }
  expect(readdirSync(bruTmp)).toEqual([]);
});

test('SIGKILL during a mutual-TLS run leaves its key; the next run removes it, and nothing of the living', async () => {
  const tlsTmp = join(work, 'tls-tmp');
  mkdirSync(tlsTmp);
  const env = { ...process.env, NO_COLOR: '1', TMPDIR: tlsTmp };
  const args = [
    join(ROOT, 'bin/tokenman.js'),
    'verify',
    '--local',
    'specs/sap-ai-core.yaml',
    '--variant',
    'x509',
  ];
  const killed = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'ignore' });
  const gone = new Promise((resolve) => killed.on('exit', resolve));
  try {
    await until(
      () => readdirSync(tlsTmp).some((name) => existsSync(join(tlsTmp, name, 'client.key'))),
      'the client key to be written',
    );
    killed.kill('SIGKILL');
    await gone;
  } finally {
    killed.kill('SIGKILL');
  }
  const left = readdirSync(tlsTmp);
  expect(left.some((name) => /^tokenman-tls-\d+-/.test(name))).toBe(true);
  // What the sweep must leave: a folder of a process that runs (this test's), and one not tokenman's.
  const living = `tokenman-tls-${process.pid}-AbCdEf`;
  mkdirSync(join(tlsTmp, living));
  mkdirSync(join(tlsTmp, 'tokenman-tls-other'));
  const next = await runCli(['verify', '--local', 'specs/biotz.yaml'], { env: { TMPDIR: tlsTmp } });
  expect(next.code, next.stderr).toBe(0);
  expect(readdirSync(tlsTmp).sort()).toEqual([living, 'tokenman-tls-other'].sort());
});
