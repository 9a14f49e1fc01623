// `tokenman environment`: the environment `tokenman build` writes for a variant, filled from the
// vendor's credentials file, written where git ignores it, readable by the user only, whole or not at
// all, and never into the build's output folder.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCertificateAuthority, issueClientCertificate } from '../../src/server/index.js';
import { ROOT, runCli } from '../support/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'tokenman-environment-'));
const SECRET = `aicore-${randomBytes(12).toString('base64url')}`;
const AI_CORE = 'specs/sap-ai-core-key.yaml';
const CIS = 'specs/sap-cloud-management-key.yaml';
const X509 = 'specs/sap-x509-key.yaml';
const KEY = {
  clientid: 'sb-3f9e2a!b42|aicore!b540',
  clientsecret: SECRET,
  url: 'https://acme-dev.authentication.eu10.hana.ondemand.com',
  identityzone: 'acme-dev',
  serviceurls: { AI_API_URL: 'https://api.ai.prod.eu-central-1.aws.ml.hana.ondemand.com' },
};

interface EnvironmentFile {
  id: string;
  name: string;
  values: Array<{ key: string; value: string; type: string; enabled: boolean }>;
}
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as EnvironmentFile;
const mode = (path: string) => statSync(path).mode & 0o777;

/** A folder of its own per test, holding the specs, their build and the key. */
function project(name: string): string {
  const dir = join(work, name);
  cpSync(join(work, 'template'), dir, { recursive: true });
  return dir;
}

/** A tmpfs this small, when the machine lets tests mount one (root on Linux). */
function tryMount(dir: string, options: string): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const mounted: string[] = [];

beforeAll(async () => {
  const template = join(work, 'template');
  mkdirSync(join(template, 'specs'), { recursive: true });
  for (const name of ['sap-ai-core-key.yaml', 'sap-cloud-management-key.yaml', 'sap-x509-key.yaml'])
    cpSync(join(ROOT, 'test/fixtures/credentials-file', name), join(template, 'specs', name));
  const built = await runCli(['build', '-q'], { cwd: template });
  expect(built.code).toBe(0);
  writeFileSync(join(template, 'key.json'), `${JSON.stringify(KEY, null, 2)}\n`);
});
afterAll(() => {
  for (const dir of mounted) execFileSync('umount', [dir]);
  rmSync(work, { recursive: true, force: true });
});

test("writes the build's environment with the file's values into .tokenman/, 0600 in a 0700 folder that ignores itself", async () => {
  const dir = project('default');
  const result = await runCli(['environment', AI_CORE, '--credentials', 'key.json'], { cwd: dir });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const written = join(dir, '.tokenman', 'sap-ai-core-key.postman_environment.json');
  expect(result.stdout).toContain('wrote .tokenman/sap-ai-core-key.postman_environment.json');
  expect(result.stdout).toContain('still empty, to fill in Postman: DeploymentId');
  expect(result.stdout).not.toContain(SECRET);
  expect(mode(written)).toBe(0o600);
  expect(mode(join(dir, '.tokenman'))).toBe(0o700);
  expect(readFileSync(join(dir, '.tokenman', '.gitignore'), 'utf8')).toBe('*\n');
  // Nothing else: no temporary file left beside it.
  expect(readdirSync(join(dir, '.tokenman')).sort()).toEqual([
    '.gitignore',
    'sap-ai-core-key.postman_environment.json',
  ]);

  // The build's environment, byte for byte, but for the values the file gave.
  const built = readJson(join(dir, 'dist', 'sap-ai-core-key.postman_environment.json'));
  const fromFile: Record<string, string> = {
    AiApiUrl: KEY.serviceurls.AI_API_URL,
    AuthUrl: KEY.url,
    ClientId: KEY.clientid,
    ClientSecret: SECRET,
  };
  const expected = {
    ...built,
    values: built.values.map((v) => (v.key in fromFile ? { ...v, value: fromFile[v.key] } : v)),
  };
  const text = readFileSync(written, 'utf8');
  expect(JSON.parse(text)).toEqual(expected);
  expect(text).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  expect(readJson(written).values.find((v) => v.key === 'ClientSecret')?.type).toBe('secret');
  // The build's own file is untouched.
  expect(readFileSync(join(dir, 'dist', 'sap-ai-core-key.postman_environment.json'), 'utf8')).not.toContain(
    SECRET,
  );
});

test('--env-var wins over the file; numbers become text; a key as cf v8 prints it (wrapped, after its first line) is read', async () => {
  const dir = project('wrapped');
  const cis = {
    endpoints: { accounts_service_url: 'https://accounts-service.cfapps.eu10.hana.ondemand.com' },
    grant_type: 'client_credentials',
    'sap.cloud.service': 'com.sap.core.commercial.service.central',
    uaa: {
      apiurl: 'https://api.authentication.eu10.hana.ondemand.com',
      clientid: 4711,
      clientsecret: SECRET,
      url: 'https://acme.authentication.eu10.hana.ondemand.com',
    },
  };
  writeFileSync(
    join(dir, 'cis.txt'),
    `Getting key cis-key for service instance cis-central as ada@example.com...\n\n${JSON.stringify({ credentials: cis }, null, 2)}\n`,
  );
  const result = await runCli(
    [
      'environment',
      CIS,
      '--variant',
      'client-credentials',
      '--credentials',
      'cis.txt',
      '--env-var',
      'UaaUrl=https://other.authentication.eu10.hana.ondemand.com',
    ],
    { cwd: dir },
  );
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const values = Object.fromEntries(
    readJson(
      join(dir, '.tokenman', 'sap-cloud-management-key.client-credentials.postman_environment.json'),
    ).values.map((v) => [v.key, v.value]),
  );
  expect(values).toMatchObject({
    UaaUrl: 'https://other.authentication.eu10.hana.ondemand.com',
    ClientId: '4711',
    ClientSecret: SECRET,
    AccountsServiceUrl: cis.endpoints.accounts_service_url,
    TokenVariant: 'client-credentials',
  });
});

test('a variant with a client certificate: the certificate and key beside it as .pem files, 0600, and how to add them in Postman', async () => {
  const dir = project('x509');
  const { cert, key } = issueClientCertificate(createCertificateAuthority(), { subject: 'aicore x509 test' });
  writeFileSync(
    join(dir, 'x509.json'),
    JSON.stringify({
      clientid: 'sb-x509!b42|aicore!b540',
      'credential-type': 'x509',
      certificate: cert,
      key,
      certurl: 'https://acme-dev.authentication.cert.eu10.hana.ondemand.com',
      url: 'https://acme-dev.authentication.eu10.hana.ondemand.com',
      serviceurls: { AI_API_URL: 'https://api.ai.prod.eu-central-1.aws.ml.hana.ondemand.com' },
    }),
  );
  const result = await runCli(['environment', X509, '--credentials', 'x509.json'], { cwd: dir });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const crt = join(dir, '.tokenman', 'sap-x509-key.certificate.pem');
  const pem = join(dir, '.tokenman', 'sap-x509-key.key.pem');
  expect(readFileSync(crt, 'utf8')).toBe(cert.endsWith('\n') ? cert : `${cert}\n`);
  expect(readFileSync(pem, 'utf8')).toBe(key.endsWith('\n') ? key : `${key}\n`);
  expect(mode(crt)).toBe(0o600);
  expect(mode(pem)).toBe(0o600);
  expect(result.stdout).toContain(
    `in Postman: Settings → Certificates → Add Certificate: Host acme-dev.authentication.cert.eu10.hana.ondemand.com, Port 443, CRT file ${crt}, KEY file ${pem}`,
  );
  const body = (text: string) => text.split('\n')[1] ?? '';
  expect(result.stdout).not.toContain(body(key));
  expect(result.stdout).not.toContain(body(cert));
});

describe('never into the build output, never committed unknowingly', () => {
  test('refuses dist/ however it is reached (a link, ..), and a folder of generated collections', async () => {
    const dir = project('refuse');
    symlinkSync('dist', join(dir, 'out-link'));
    mkdirSync(join(dir, 'other-build'));
    writeFileSync(join(dir, 'other-build', 'acme.postman_collection.json'), '{}\n');
    // Another build's Postman workspace (Collection v3), away from its collections.
    mkdirSync(join(dir, 'v3-build', 'postman', 'collections', 'acme'), { recursive: true });
    mkdirSync(join(dir, 'v3-build', 'postman', 'environments'), { recursive: true });
    const outs = [
      'out-link/mine.json',
      'specs/../dist/mine.json',
      'dist',
      'other-build/mine.json',
      'v3-build/postman/environments/mine.json',
      'v3-build/postman/collections/acme/mine.json',
    ];
    for (const out of outs) {
      const result = await runCli(['environment', AI_CORE, '--credentials', 'key.json', '--out', out], {
        cwd: dir,
      });
      expect(result.code, out).toBe(1);
      expect(result.stderr).toMatch(
        /^tokenman: --out .* (is inside dist|is in a folder of generated collections|is inside v3-build\/postman, a Postman workspace)/,
      );
    }
    expect(
      readdirSync(join(dir, 'dist')).filter(
        (name) => !name.startsWith('sap-') && name !== 'bruno' && name !== 'postman',
      ),
    ).toEqual([]);
    expect(existsSync(join(dir, 'other-build', 'mine.json'))).toBe(false);
  });

  test('--out in a git work tree where the file is not ignored warns; .tokenman/ never does', async () => {
    const dir = project('git');
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const mine = await runCli(
      ['environment', AI_CORE, '--credentials', 'key.json', '--out', 'env/mine.json'],
      {
        cwd: dir,
      },
    );
    expect(mine.code).toBe(0);
    expect(mine.stderr).toBe(
      'tokenman: warning: env/mine.json holds secrets and git would commit it; add it to .gitignore, or leave --out out to write into .tokenman/\n',
    );
    expect(mode(join(dir, 'env', 'mine.json'))).toBe(0o600);
    expect(mode(join(dir, 'env'))).toBe(0o700);
    const own = await runCli(['environment', AI_CORE, '--credentials', 'key.json'], { cwd: dir });
    expect(own.code).toBe(0);
    expect(own.stderr).toBe('');
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(status).not.toContain('.tokenman');
  });
});

describe('whole or not at all', () => {
  test('a full disk leaves the old file as it was and no temporary file', async () => {
    const dir = project('full');
    const full = join(dir, 'full');
    expect(
      tryMount(full, 'size=16k'),
      'this test fills a 16 KB disk it mounts, which needs root on Linux',
    ).toBe(true);
    mounted.push(full);
    writeFileSync(join(full, 'env.json'), 'the previous environment\n');
    const result = await runCli(
      [
        'environment',
        AI_CORE,
        '--credentials',
        'key.json',
        '--out',
        'full/env.json',
        '--env-var',
        `DeploymentId=${'d'.repeat(64 * 1024)}`,
      ],
      { cwd: dir },
    );
    expect(result.stderr).toBe(
      'tokenman: no space left on the disk of --out full/env.json; free some space and run tokenman again\n',
    );
    expect(result.code).toBe(1);
    expect(readdirSync(full)).toEqual(['env.json']);
    expect(readFileSync(join(full, 'env.json'), 'utf8')).toBe('the previous environment\n');
  });
});

test("API Connect's toolkit credentials.json gives the api-key variant its installation's own client id and secret", async () => {
  const credentials = join(work, 'credentials.json');
  // As API Manager's "Download toolkit" writes it: one entry per toolkit, snake case.
  writeFileSync(
    credentials,
    JSON.stringify({
      cloud_id: 'c0ffee00-1111-4222-8333-444455556666',
      toolkit: { endpoint: 'https://api.mgmt.acme.example/api', client_id: 'tk-7f3e', client_secret: SECRET },
      consumer_toolkit: {
        endpoint: 'https://consumer.acme.example/consumer-api',
        client_id: 'ck',
        client_secret: 'cks',
      },
    }),
  );
  const out = join(work, 'apic', 'ibm-api-connect.api-key.postman_environment.json');
  const result = await runCli([
    'environment',
    'specs/ibm-api-connect.yaml',
    '--variant',
    'api-key',
    '--credentials',
    credentials,
    '--env-var',
    'ApicHost=https://mgmt.acme.example',
    '--out',
    out,
  ]);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain('still empty, to fill in Postman: ApiKey');
  expect(result.stdout).not.toContain(SECRET);
  const values = Object.fromEntries(readJson(out).values.map((v) => [v.key, v.value]));
  expect(values).toMatchObject({
    ApicHost: 'https://mgmt.acme.example',
    ApicClientId: 'tk-7f3e',
    ApicClientSecret: SECRET,
    ApiKey: '',
  });
});

// every path `environment` writes is checked first (src/emit/output-path.ts): no link is
// written through or replaced, no device, FIFO or folder is opened, no input written over; each
// refusal is one sentence, exit 1, with no file changed.
describe('paths environment will not write', () => {
  const refuse = async (dir: string, out: string[], sentence: string | RegExp) => {
    const before = snapshot(dir);
    const result = await runCli(['environment', AI_CORE, '--credentials', 'key.json', ...out], { cwd: dir });
    expect(result.code, result.stderr).toBe(1);
    if (typeof sentence === 'string') expect(result.stderr).toBe(`tokenman: ${sentence}\n`);
    else expect(result.stderr).toMatch(sentence);
    expect(result.stderr.split('\n').length).toBe(2);
    expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET);
    expect(snapshot(dir)).toEqual(before);
  };
  /** Every entry under dir, link targets and file contents included, and the folder's own mode. */
  const snapshot = (dir: string) => ({
    mode: mode(dir),
    entries: readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => !entry.parentPath.includes(`${join(dir, 'dist')}`))
      .map((entry) => {
        const at = join(entry.parentPath, entry.name);
        if (entry.isSymbolicLink()) return `${at} -> ${readlinkSync(at)}`;
        if (entry.isFile()) return `${at}: ${readFileSync(at, 'utf8')}`;
        return at;
      })
      .sort(),
  });

  test('.tokenman a link to the project (ln -s . .tokenman): the project is not made private nor ignored', async () => {
    const dir = project('tokenman-link');
    symlinkSync('.', join(dir, '.tokenman'));
    await refuse(
      dir,
      [],
      `.tokenman is a link (to .); tokenman writes no folder through a link: give the path itself`,
    );
    expect(existsSync(join(dir, '.gitignore'))).toBe(false);
  });

  test('.tokenman a plain file', async () => {
    const dir = project('tokenman-file');
    writeFileSync(join(dir, '.tokenman'), 'notes\n');
    await refuse(dir, [], '.tokenman is a file, not a folder; move it away, or give --out');
  });

  test('--out the same file as --credentials: the vendor key is not written over', async () => {
    const dir = project('out-is-input');
    await refuse(
      dir,
      ['--out', 'key.json'],
      '--out key.json is --credentials key.json, which this command reads; give another path, so it stays as it is',
    );
    await refuse(
      dir,
      ['--out', `./specs/../${AI_CORE}`],
      `--out ./specs/../${AI_CORE} is the spec ${AI_CORE}, which this command reads; give another path, so it stays as it is`,
    );
  });

  test('--out a link, dangling or to a device: never written through nor replaced', async () => {
    const dir = project('out-links');
    symlinkSync('/nonexistent/tokenman-target', join(dir, 'dangling.json'));
    await refuse(
      dir,
      ['--out', 'dangling.json'],
      '--out dangling.json is a link (to /nonexistent/tokenman-target, which does not exist); tokenman writes no file through a link: give the path itself',
    );
    symlinkSync('/dev/stdout', join(dir, 'stdout.json'));
    await refuse(
      dir,
      ['--out', 'stdout.json'],
      /^tokenman: --out stdout\.json is a link \(to \/dev\/stdout\)/,
    );
    await refuse(dir, ['--out', '/dev/stdout'], /^tokenman: --out \/dev\/stdout is a link/);
    await refuse(
      dir,
      ['--out', '/dev/null'],
      "--out /dev/null is a device, not a file tokenman may write; give a file's path",
    );
  });

  test("--out inside another build's Bruno collection, which build --check would not see", async () => {
    const dir = project('other-build');
    expect((await runCli(['build', '-q', '--out', 'other'], { cwd: dir })).code).toBe(0);
    for (const out of [
      'other/bruno/sap-ai-core-key/mine.json',
      'other/bruno/sap-ai-core-key/environments/x.json',
    ])
      await refuse(
        dir,
        ['--out', out],
        `--out ${out} is inside other/bruno/sap-ai-core-key, a Bruno collection (a tokenman build output), which is committed and shared; give a path outside it, or leave --out out to write into .tokenman/`,
      );
    const check = await runCli(['build', '--check', '--out', 'other'], { cwd: dir });
    expect(check.code).toBe(0);
  });

  test('--out under /proc is refused at once, not a spin', async (context) => {
    if (process.platform !== 'linux') return context.skip();
    const dir = project('proc');
    const started = performance.now();
    await refuse(
      dir,
      ['--out', '/proc/tokenman-test/env.json'],
      '--out /proc/tokenman-test/env.json: /proc/tokenman-test cannot be made: the system allows no files of yours there (as under /proc or /sys)',
    );
    await refuse(
      dir,
      ['--out', '/proc/tokenman-test.json'],
      '--out /proc/tokenman-test.json cannot be made: the system allows no files of yours there (as under /proc or /sys)',
    );
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

test('--out - writes the environment to standard output, and nothing to disk', async () => {
  const dir = project('stdout');
  const result = await runCli(['environment', AI_CORE, '--credentials', 'key.json', '--out', '-'], {
    cwd: dir,
  });
  expect(result.code, result.stderr).toBe(0);
  const environment = JSON.parse(result.stdout) as EnvironmentFile;
  expect(environment.values.find((v) => v.key === 'ClientSecret')?.value).toBe(SECRET);
  expect(result.stderr).toBe('tokenman: still empty, to fill in Postman: DeploymentId\n');
  expect(existsSync(join(dir, '.tokenman'))).toBe(false);
  expect(existsSync(join(dir, '-'))).toBe(false);
});

// a service key's PEMs copied with their line breaks as the two characters \n were
// written to the .pem files as they stood, which Postman cannot read, without a word.
test('PEMs whose line breaks the credentials file holds as \\n get real ones in the .pem files', async () => {
  const dir = project('escaped-pem');
  const { cert, key } = issueClientCertificate(createCertificateAuthority(), { subject: 'escaped' });
  const escaped = (pem: string) => pem.trim().replace(/\n/g, '\\n');
  writeFileSync(
    join(dir, 'x509.json'),
    JSON.stringify({
      clientid: 'sb-x509!b42|aicore!b540',
      certificate: escaped(cert),
      key: escaped(key),
      certurl: 'https://acme-dev.authentication.cert.eu10.hana.ondemand.com',
      url: 'https://acme-dev.authentication.eu10.hana.ondemand.com',
      serviceurls: { AI_API_URL: 'https://api.ai.prod.eu-central-1.aws.ml.hana.ondemand.com' },
    }),
  );
  const result = await runCli(['environment', X509, '--credentials', 'x509.json'], { cwd: dir });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain('with real line breaks where the credentials file has \\n');
  expect(readFileSync(join(dir, '.tokenman', 'sap-x509-key.certificate.pem'), 'utf8')).toBe(
    `${cert.trim()}\n`,
  );
  expect(readFileSync(join(dir, '.tokenman', 'sap-x509-key.key.pem'), 'utf8')).toBe(`${key.trim()}\n`);
});
