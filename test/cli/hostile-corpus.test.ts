// The hostile corpus: each attack on what a user may hand tokenman, run as a user would type it,
// against the compiled CLI, real Newman and real bru, and a stand-in vendor on 127.0.0.1. Every row
// ends as a sentence and exit 1 (or passes, where the input is legitimate), prints no secret, leaves
// no file in its own TMPDIR, writes no report holding a secret, and changes no file it was not asked
// to write. Add each new attack on a new surface here, with the file of tests that covers its cause
// in detail.
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCertificateAuthority, issueClientCertificate } from '../../src/server/index.js';
import { ROOT, runCli } from '../support/run-cli.js';
import { startVendorServer, type VendorServer } from '../support/vendor-server.js';

const work = mkdtempSync(join(tmpdir(), 'tokenman-hostile-'));
const marker = (name: string) => `${name}-${randomBytes(6).toString('hex')}`;
const SECRET = marker('hostile-secret');
const TOKEN = marker('hostile-token');
const KEY_SECRET = marker('key-secret');
let vendor: VendorServer;

/** A spec of a vendor of our own: token at {{AuthUrl}}/oauth/token (or read by discovery), one API call. */
function ownSpec(name: string, token: string[]): string {
  return [
    `name: ${name}`,
    'variables:',
    '  AuthUrl: {}',
    '  ClientId: {}',
    '  ClientSecret:',
    '    secret: true',
    'token:',
    ...token.map((line) => `  ${line}`),
    '  grant: client_credentials',
    '  clientAuth: body',
    '  clientId: "{{ClientId}}"',
    '  clientSecret: "{{ClientSecret}}"',
    'requests:',
    '  - name: Call',
    '    url: "{{AuthUrl}}/api"',
    '    expect: 200',
    '',
  ].join('\n');
}

/** What the stand-in vendor answers, by the first part of the path: each row's own misbehaviour. */
function answer(url: string, authorization: string) {
  const [, mode = '', ...rest] = url.split('/');
  const path = `/${rest.join('/')}`;
  const base = `${vendor.url}/${mode}`;
  const tokenAnswer = {
    body: JSON.stringify({ access_token: TOKEN, token_type: 'bearer', expires_in: 600 }),
  };
  if (path.startsWith('/.well-known/')) {
    if (mode === 'downgrade')
      return {
        body: JSON.stringify({ issuer: base, token_endpoint: 'http://tokenman-downgrade.invalid/token' }),
      };
    const padding = Object.fromEntries(Array.from({ length: 400_000 }, (_, i) => [`k${i}`, 'x'.repeat(40)]));
    return { body: JSON.stringify({ issuer: base, token_endpoint: `${base}/oauth/token`, ...padding }) };
  }
  if (path === '/oauth/token') {
    if (mode === 'big-token')
      return { body: JSON.stringify({ access_token: 'a'.repeat(10 * 1024 * 1024), token_type: 'bearer' }) };
    if (mode === 'big-error') return { status: 401, body: `${SECRET} ${'x'.repeat(10 * 1024 * 1024)}` };
    return tokenAnswer;
  }
  // The API echoes the token it was sent (row 6).
  return { body: JSON.stringify({ echo: authorization.replace(/^Bearer /, '') }) };
}

beforeAll(async () => {
  vendor = await startVendorServer((request) =>
    answer(request.url ?? '', request.headers.authorization ?? ''),
  );
  mkdirSync(join(work, 'specs'));
  cpSync(join(ROOT, 'specs/sap-ai-core.yaml'), join(work, 'specs/sap-ai-core.yaml'));
  for (const name of ['sap-ai-core-key.yaml', 'sap-x509-key.yaml'])
    cpSync(join(ROOT, 'test/fixtures/credentials-file', name), join(work, 'specs', name));
  writeFileSync(join(work, 'specs/own.yaml'), ownSpec('Own', ['url: "{{AuthUrl}}/oauth/token"']));
  writeFileSync(
    join(work, 'specs/disc.yaml'),
    ownSpec('Disc', ['discovery: "{{AuthUrl}}/.well-known/openid-configuration"']),
  );
  writeFileSync(
    join(work, 'specs/separators.yaml'),
    ownSpec('"Line\\u2028Paragraph\\u2029"', ['url: "{{AuthUrl}}/oauth/token"']),
  );
  const built = await runCli(['build', '-q'], { cwd: work });
  expect(built.stderr).toBe('');
  // A second build's output: its bruno/<spec>/ is as committed as dist/.
  expect((await runCli(['build', '-q', '--out', 'other-build'], { cwd: work })).code).toBe(0);
  const key = {
    clientid: 'sb-hostile!b1',
    clientsecret: KEY_SECRET,
    url: 'https://acme.authentication.eu10.hana.ondemand.com',
    serviceurls: { AI_API_URL: 'https://api.ai.example' },
  };
  writeFileSync(join(work, 'key.json'), JSON.stringify(key));
  writeFileSync(
    join(work, 'nested.json'),
    `{"clientsecret":"${KEY_SECRET}","n":${'['.repeat(5000)}${']'.repeat(5000)}}`,
  );
  writeFileSync(
    join(work, 'escapes.json'),
    JSON.stringify({ '\u001b[31mred\u001b[0m': KEY_SECRET, 'a\nb': 1 }),
  );
  const { cert, key: pem } = issueClientCertificate(createCertificateAuthority(), { subject: 'hostile' });
  writeFileSync(
    join(work, 'x509.json'),
    JSON.stringify({
      clientid: 'sb-x509!b1',
      certificate: cert.trim().replace(/\n/g, '\\n'),
      key: pem.trim().replace(/\n/g, '\\n'),
      certurl: 'https://acme.authentication.cert.eu10.hana.ondemand.com',
      url: 'https://acme.authentication.eu10.hana.ondemand.com',
      serviceurls: { AI_API_URL: 'https://api.ai.example' },
    }),
  );
  symlinkSync('/nonexistent/tokenman-hostile', join(work, 'dangling.json'));
  writeFileSync(join(work, 'env.json'), '{"values":[]}\n');
}, 120_000);

afterAll(async () => {
  await vendor?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Every entry under the folder with what it holds (a link's target, a file's bytes), for "nothing else changed". */
function snapshot(dir: string, leaveOut: (name: string) => boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const at = join(entry.parentPath, entry.name);
    const name = relative(dir, at);
    if (leaveOut(name)) continue;
    const info = lstatSync(at);
    out[name] = entry.isSymbolicLink()
      ? `-> ${readlinkSync(at)}`
      : entry.isFile()
        ? `${(info.mode & 0o777).toString(8)} ${readFileSync(at, 'utf8')}`
        : `${(info.mode & 0o777).toString(8)} folder`;
  }
  return out;
}

interface Row {
  /** The issue's row and what the attack is. */
  what: string;
  args: string[];
  /** `refused`: one sentence on stderr, exit 1. `fails`: a failed run, exit 1. `passes`: exit 0. */
  outcome: 'refused' | 'fails' | 'passes';
  /** What stderr (refused) or the output (fails, passes) says. */
  says?: RegExp;
  /** Paths (relative to the work folder) the row is asked to write. */
  writes?: string[];
  /** Secrets the row gives, none of which may be printed or written into a report. */
  secrets?: string[];
  /** Runs before the row; its undo runs after. */
  setup?: () => () => void;
  env?: Record<string, string>;
  /** At most this long. */
  withinMs?: number;
  /** The reports it must write (a failed run still reports why). */
  reports?: string[];
}

const env = (...pairs: string[]) => pairs.flatMap((pair) => ['--env-var', pair]);
/** Stands for the stand-in vendor's URL in a row's arguments, which exist before the vendor does. */
const VENDOR = '{vendor}';
const own = (mode: string) => env(`AuthUrl=${VENDOR}/${mode}`, 'ClientId=hostile', `ClientSecret=${SECRET}`);
const LONG_SECRET = `LEAKME-${'p$s-w0rd!'.repeat(1400)}`;
const ONE_SENTENCE = /^tokenman: [^\n]+\n$/;

const ROWS: Row[] = [
  {
    what: '1: an 11,200-character punctuation secret (the redaction pattern crashed and printed it)',
    args: [
      'verify',
      '--remote',
      'specs/sap-ai-core.yaml',
      '--variant',
      'client-secret',
      ...env(
        'AuthUrl=http://127.0.0.1:9',
        'AiApiUrl=http://127.0.0.1:9',
        'DeploymentId=d',
        'ClientId=c',
        `ClientSecret=${LONG_SECRET}`,
      ),
      '-r',
      'junit,json',
    ],
    outcome: 'fails',
    says: /FAIL {2}sap-ai-core \(client-secret\) {2}Get token .*ECONNREFUSED/,
    writes: ['reports'],
    secrets: [LONG_SECRET, 'p$s-w0rd!p$s-w0rd!'],
  },
  {
    what: '2: an https-looking discovery document naming an http token endpoint (downgrade)',
    args: ['verify', '--remote', 'specs/disc.yaml', ...own('downgrade')],
    outcome: 'fails',
    says: /names token_endpoint http:\/\/tokenman-downgrade\.invalid\/token, which is not https/,
    secrets: [SECRET],
  },
  {
    what: '4: .tokenman a link to the repository root',
    args: ['environment', 'specs/sap-ai-core-key.yaml', '--credentials', 'key.json'],
    setup: () => {
      symlinkSync('.', join(work, '.tokenman'));
      return () => rmSync(join(work, '.tokenman'));
    },
    outcome: 'refused',
    says: /^tokenman: \.tokenman is a link \(to \.\); tokenman writes no folder through a link/,
    secrets: [KEY_SECRET],
  },
  {
    what: '5: environment --out /dev/stdout',
    args: ['environment', 'specs/sap-ai-core-key.yaml', '--credentials', 'key.json', '--out', '/dev/stdout'],
    outcome: 'refused',
    says: /^tokenman: --out \/dev\/stdout is a link/,
    secrets: [KEY_SECRET],
  },
  {
    what: '5: environment --out the --credentials file',
    args: ['environment', 'specs/sap-ai-core-key.yaml', '--credentials', 'key.json', '--out', 'key.json'],
    outcome: 'refused',
    says: /^tokenman: --out key\.json is --credentials key\.json, which this command reads/,
    secrets: [KEY_SECRET],
  },
  {
    what: "5: environment --out inside another build's bruno/<spec>/",
    args: [
      'environment',
      'specs/sap-ai-core-key.yaml',
      '--credentials',
      'key.json',
      '--out',
      'other-build/bruno/sap-ai-core-key/mine.json',
    ],
    outcome: 'refused',
    says: /is inside other-build\/bruno\/sap-ai-core-key, a Bruno collection/,
    secrets: [KEY_SECRET],
  },
  {
    what: '5: environment --out - (standard output, legitimate)',
    args: ['environment', 'specs/sap-ai-core-key.yaml', '--credentials', 'key.json', '--out', '-'],
    outcome: 'passes',
    says: /"key": "ClientSecret",/,
  },
  {
    what: '6: an API that echoes its token: no token in the reports of any client',
    args: ['verify', '--remote', 'specs/own.yaml', '--client', 'all', '-r', 'junit,json', ...own('echo')],
    // The Postman CLI's v3 run writes no report of its own (it allows v3 runs the cli report only).
    reports: [
      'own.bruno.json',
      'own.bruno.junit.xml',
      'own.json',
      'own.junit.xml',
      'own.postman-cli.json',
      'own.postman-cli.junit.xml',
    ],
    outcome: 'passes',
    writes: ['reports'],
    secrets: [SECRET, TOKEN],
  },
  {
    what: '8: --env-var with a colon for "="',
    args: ['verify', '--remote', 'specs/own.yaml', '--env-var', `ClientSecret:$SECRET`],
    outcome: 'refused',
    says: /^tokenman: --env-var ClientSecret… has ":" where "=" goes/,
    secrets: [SECRET],
  },
  {
    what: '9: a credentials file nested 5,000 deep',
    args: ['verify', '--remote', 'specs/sap-ai-core-key.yaml', '--credentials', 'nested.json'],
    outcome: 'refused',
    says: /nests objects or lists more than 32 deep \(line 1, column \d+\)/,
    secrets: [KEY_SECRET],
  },
  {
    what: '9: environment --out through a dangling link',
    args: [
      'environment',
      'specs/sap-ai-core-key.yaml',
      '--credentials',
      'key.json',
      '--out',
      'dangling.json',
    ],
    outcome: 'refused',
    says: /^tokenman: --out dangling\.json is a link \(to \/nonexistent\/tokenman-hostile, which does not exist\)/,
    secrets: [KEY_SECRET],
  },
  {
    what: '9: .tokenman a plain file',
    args: ['environment', 'specs/sap-ai-core-key.yaml', '--credentials', 'key.json'],
    setup: () => {
      writeFileSync(join(work, '.tokenman'), 'notes\n');
      return () => rmSync(join(work, '.tokenman'));
    },
    outcome: 'refused',
    says: /^tokenman: \.tokenman is a file, not a folder/,
    secrets: [KEY_SECRET],
  },
  {
    what: '9: a 10 MB token answer (RangeError in redaction)',
    args: ['verify', '--remote', 'specs/own.yaml', '-r', 'json', ...own('big-token')],
    reports: ['own.json'],
    outcome: 'fails',
    says: /FAIL {2}own {2}.*the answer is larger than 4 MB/,
    writes: ['reports'],
    secrets: [SECRET],
    withinMs: 30_000,
  },
  {
    what: '9: a missing TMPDIR with -r junit',
    args: ['verify', '--local', 'specs/own.yaml', '-r', 'junit'],
    env: { TMPDIR: '/nonexistent/tokenman-tmp' },
    outcome: 'refused',
    says: /^tokenman: the temporary folder \/nonexistent\/tokenman-tmp \(TMPDIR\) does not exist/,
  },
  {
    what: '9: --reporters-dir under /proc (a spin)',
    args: ['verify', '--local', 'specs/own.yaml', '-r', 'junit', '--reporters-dir', '/proc/tokenman-hostile'],
    outcome: 'refused',
    says: /^tokenman: --reporters-dir \/proc\/tokenman-hostile cannot be made/,
    withinMs: 20_000,
  },
  {
    what: '9: build --out under /proc (a spin)',
    args: ['build', '--out', '/proc/tokenman-hostile/dist'],
    outcome: 'refused',
    says: /^tokenman: --out \/proc\/tokenman-hostile\/dist: \/proc\/tokenman-hostile cannot be made/,
    withinMs: 20_000,
  },
  {
    what: '9: environment --out under /proc (a spin)',
    args: ['environment', 'specs/sap-ai-core-key.yaml', '--credentials', 'key.json', '--out', '/proc/x.json'],
    outcome: 'refused',
    says: /^tokenman: --out \/proc\/x\.json cannot be made/,
    secrets: [KEY_SECRET],
    withinMs: 20_000,
  },
  {
    what: '10: U+2028 and U+2029 in the name: Bruno runs pass',
    args: ['verify', '--local', 'specs/separators.yaml', '--client', 'bruno'],
    outcome: 'passes',
    says: /PASS {2}separators in Bruno/,
  },
  {
    what: '10: \\n-escaped PEMs: environment writes them with real line breaks',
    args: ['environment', 'specs/sap-x509-key.yaml', '--credentials', 'x509.json', '--out', 'x509-env.json'],
    outcome: 'passes',
    says: /with real line breaks where the credentials file has \\n/,
    writes: ['x509-env.json', 'x509-env.certificate.pem', 'x509-env.key.pem'],
  },
  {
    what: '10: --timeout-request 3000000000 (a 1 ms timer)',
    args: ['verify', '--local', '--timeout-request', '3000000000'],
    outcome: 'refused',
    says: /^tokenman: --timeout-request takes a whole number from 1 to 2147483647/,
  },
  {
    what: '10: serve --port 0x50 (bound port 80)',
    args: ['serve', '--port', '0x50'],
    outcome: 'refused',
    says: /^tokenman: --port takes a whole number from 0 to 65535/,
  },
  {
    what: '10: a 10 MB error body (script timed out, no report)',
    args: ['verify', '--remote', 'specs/own.yaml', '-r', 'json', ...own('big-error')],
    reports: ['own.json'],
    outcome: 'fails',
    says: /FAIL {2}own {2}/,
    writes: ['reports'],
    secrets: [SECRET],
    withinMs: 30_000,
  },
  {
    what: '10: credentials field names with ANSI escapes and line breaks',
    args: ['environment', 'specs/sap-ai-core-key.yaml', '--credentials', 'escapes.json'],
    outcome: 'fails',
    says: /its top-level fields are "\\u001b\[31mred\\u001b\[0m", "a\\u000ab"/,
    secrets: [KEY_SECRET],
  },
  {
    what: '10: a 20 MB discovery document (30 s and 2 GB)',
    args: ['verify', '--remote', 'specs/disc.yaml', '-r', 'json', ...own('big-discovery')],
    reports: ['disc.json'],
    outcome: 'fails',
    says: /the answer is larger than 4 MB/,
    writes: ['reports'],
    secrets: [SECRET],
    withinMs: 30_000,
  },
];

describe('every attack of the hostile corpus ends in a sentence or a pass, prints no secret, leaves nothing behind', () => {
  test.each(ROWS)('$what', async (row) => {
    const rowTmp = mkdtempSync(join(tmpdir(), 'tokenman-hostile-tmp-'));
    const undo = row.setup?.();
    const asked = (name: string) =>
      name.startsWith('dist') ||
      name.startsWith('other-build') ||
      (row.writes ?? []).some((w) => name === w || name.startsWith(`${w}/`));
    const before = snapshot(work, asked);
    const started = performance.now();
    try {
      const args = row.args.map((arg) => arg.replace(VENDOR, vendor.url));
      const result = await runCli(args, { cwd: work, env: { TMPDIR: rowTmp, ...row.env } });
      const output = `${result.stdout}${result.stderr}`;
      expect(output, row.what).not.toMatch(/unexpected error|\n\s+at /);
      if (row.outcome === 'refused') {
        expect(result.stderr, row.what).toMatch(ONE_SENTENCE);
        if (row.says) expect(result.stderr, row.what).toMatch(row.says);
        expect(result.code, row.what).toBe(1);
      } else {
        if (row.says) expect(output, row.what).toMatch(row.says);
        expect(result.code, `${row.what}\n${output.slice(0, 2000)}`).toBe(row.outcome === 'passes' ? 0 : 1);
      }
      if (row.withinMs) expect(performance.now() - started, row.what).toBeLessThan(row.withinMs);
      const reports = existsSync(join(work, 'reports'))
        ? readdirSync(join(work, 'reports')).map((name) => readFileSync(join(work, 'reports', name), 'utf8'))
        : [];
      if (row.reports) expect(readdirSync(join(work, 'reports')).sort(), row.what).toEqual(row.reports);
      for (const secret of row.secrets ?? []) {
        expect(output.includes(secret), `${row.what}: printed`).toBe(false);
        for (const report of reports) expect(report.includes(secret), `${row.what}: in a report`).toBe(false);
      }
      expect(readdirSync(rowTmp), `${row.what}: left in TMPDIR`).toEqual([]);
      expect(snapshot(work, asked), `${row.what}: changed a file it was not asked to write`).toEqual(before);
    } finally {
      undo?.();
      rmSync(rowTmp, { recursive: true, force: true });
      rmSync(join(work, 'reports'), { recursive: true, force: true });
    }
  });
});

test('3: verify --client all of the spec `tokenman init` writes from the README curl (two runs of one client id)', async () => {
  const dir = mkdtempSync(join(work, 'init-'));
  const init = await runCli(
    [
      'init',
      'Acme Cloud',
      '--yes',
      '--from-curl',
      "curl -u 'my-app:<secret>' -d grant_type=client_credentials https://login.acme.example/oauth2/token",
    ],
    { cwd: dir },
  );
  expect(init.code, init.stderr).toBe(0);
  expect((await runCli(['build', '-q'], { cwd: dir })).code).toBe(0);
  const result = await runCli(['verify', '--local', '--client', 'all'], { cwd: dir });
  expect(result.stderr).toBe('');
  expect(result.stdout).toMatch(/^PASS {2}acme-cloud {2}.*1 token call\(s\)/m);
  expect(result.stdout).toMatch(/^PASS {2}acme-cloud in Bruno {2}.*1 token call\(s\)/m);
  expect(result.code).toBe(0);
});

test('9: serve on a port in use is one sentence', async () => {
  const other = createServer();
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  const { port } = other.address() as AddressInfo;
  try {
    const result = await runCli(['serve', 'specs/own.yaml', '--port', String(port)], { cwd: work });
    expect(result.stderr).toMatch(ONE_SENTENCE);
    expect(result.stderr).toContain(`--port ${port} is in use by another program on 127.0.0.1`);
    expect(result.code).toBe(1);
  } finally {
    other.close();
  }
});
