import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ROOT, runCli } from '../support/run-cli.js';
import { snapshotTree } from '../support/snapshot-dir.js';

let work: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'tokenman-build-'));
  cpSync(join(ROOT, 'specs'), join(work, 'specs'), { recursive: true });
  cpSync(join(ROOT, 'schema'), join(work, 'schema'), { recursive: true });
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

const snapshotDir = snapshotTree;

describe('tokenman build', () => {
  test('writes a collection and one environment per variant, and a second build changes no byte', async () => {
    const first = await runCli(['build'], { cwd: work });
    expect(first.code).toBe(0);
    // Specs are the .yaml files of the folder; specs/apis/ holds the API documents they name.
    const seeds = readdirSync(join(work, 'specs')).filter((name) => name.endsWith('.yaml')).length;
    const counts = new RegExp(`${seeds} spec\\(s\\): (\\d+) written, 0 unchanged, 0 removed`).exec(
      first.stdout,
    );
    const files = snapshotDir(join(work, 'dist'));
    // Every file of dist/ is one the build wrote and counted.
    expect(Number(counts?.[1])).toBe(Object.keys(files).length);
    expect(Object.keys(files)).toContain('sap-cloud-management.password.postman_environment.json');
    expect(Object.keys(files)).toContain('biotz.postman_collection.json');
    // The Bruno collection of each spec, in a folder of its own that bru run can be started in.
    expect(Object.keys(files)).toContain('bruno/biotz/opencollection.yml');
    expect(Object.keys(files)).toContain('bruno/sap-cloud-management/environments/password.yml');

    const second = await runCli(['build'], { cwd: work });
    expect(second.stdout).toContain(`0 written, ${Object.keys(files).length} unchanged`);
    expect(snapshotDir(join(work, 'dist'))).toEqual(files);
  });

  test('--check names the files that differ and exits 1; then passes once rebuilt', async () => {
    await runCli(['build', '-q'], { cwd: work });
    const spec = join(work, 'specs', 'sap-ai-core.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('default: default', 'default: staging'));
    const stale = await runCli(['build', '--check'], { cwd: work });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('dist/sap-ai-core.client-secret.postman_environment.json: changed');
    expect(stale.stderr).toContain('dist/bruno/sap-ai-core/environments/x509.yml: changed');
    expect(stale.stderr).not.toContain('biotz');
    await runCli(['build', '-q'], { cwd: work });
    expect((await runCli(['build', '--check'], { cwd: work })).code).toBe(0);
  });

  test('a removed spec leaves stale files that --check reports and build removes', async () => {
    await runCli(['build', '-q'], { cwd: work });
    rmSync(join(work, 'specs', 'biotz.yaml'));
    const check = await runCli(['build', '--check'], { cwd: work });
    expect(check.stderr).toContain('dist/biotz.postman_collection.json: stale');
    expect(check.stderr).toContain('dist/bruno/biotz/opencollection.yml: stale');
    writeFileSync(join(work, 'dist', 'README.md'), 'notes of our own\n');
    // A request a user added to a live spec's Bruno folder is theirs: build leaves it.
    const added = join(work, 'dist', 'bruno', 'sap-ai-core', 'added-later.yml');
    writeFileSync(added, 'info:\n  name: Added later\n');
    const build = await runCli(['build'], { cwd: work });
    expect(build.stdout).toContain('removed dist/biotz.postman_collection.json');
    expect(build.stdout).toContain('removed dist/biotz.md');
    expect(build.stdout).toContain('removed dist/bruno/biotz/environments/biotz.yml');
    // A .md counts as tokenman's only beside its collection: the user's own README stays.
    expect(readFileSync(join(work, 'dist', 'README.md'), 'utf8')).toBe('notes of our own\n');
    // The deleted spec's Bruno folder goes as a whole; the live one keeps the user's request.
    expect(existsSync(join(work, 'dist', 'bruno', 'biotz'))).toBe(false);
    expect(readFileSync(added, 'utf8')).toBe('info:\n  name: Added later\n');
    expect((await runCli(['build', '--check'], { cwd: work })).code).toBe(0);
  });

  test("a spec that gained variants loses its old Get token request, and a user's request stays", async () => {
    await runCli(['build', '-q'], { cwd: work });
    const folder = join(work, 'dist', 'bruno', 'sap-ai-core');
    // What the build wrote while the spec had no variants: bru run would send it unfilled.
    const old = join(folder, 'get-token.yml');
    writeFileSync(old, readFileSync(join(folder, 'get-token', 'x509.yml'), 'utf8'));
    const mine = join(folder, 'get-token-by-hand.yml');
    writeFileSync(mine, 'info:\n  name: Get token my way\n');
    const check = await runCli(['build', '--check'], { cwd: work });
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('dist/bruno/sap-ai-core/get-token.yml: stale');
    expect(check.stderr).not.toContain('get-token-by-hand');
    const build = await runCli(['build'], { cwd: work });
    expect(build.stdout).toContain('removed dist/bruno/sap-ai-core/get-token.yml');
    expect(existsSync(old)).toBe(false);
    expect(readFileSync(mine, 'utf8')).toBe('info:\n  name: Get token my way\n');
  });

  test("operations the API document no longer gives lose their files and their tag's folder; a user's request stays", async () => {
    await runCli(['build', '-q'], { cwd: work });
    const mine = join(work, 'dist', 'bruno', 'keycloak', 'users', 'my-request.yml');
    writeFileSync(mine, 'info:\n  name: My request\n');
    const spec = join(work, 'specs', 'keycloak.yaml');
    const text = readFileSync(spec, 'utf8');
    const without = text.replace('      - GET /{realm}/groups\n      - GET /{realm}/groups/{id}\n', '');
    expect(without).not.toBe(text);
    writeFileSync(spec, without);
    const check = await runCli(['build', '--check'], { cwd: work });
    expect(check.stderr).toContain('dist/bruno/keycloak/groups/getgroup.yml: stale');
    const build = await runCli(['build'], { cwd: work });
    expect(build.stdout).toContain('removed dist/bruno/keycloak/groups/folder.yml');
    expect(build.stdout).toContain('removed dist/postman/collections/keycloak/Groups/getGroup.request.yaml');
    expect(build.stdout).toContain(
      'removed dist/postman/collections/keycloak/Groups/.resources/definition.yaml',
    );
    expect(existsSync(join(work, 'dist', 'bruno', 'keycloak', 'groups'))).toBe(false);
    expect(existsSync(join(work, 'dist', 'postman', 'collections', 'keycloak', 'Groups'))).toBe(false);
    // The other operations' files are as they were, and the user's request is theirs.
    expect(existsSync(join(work, 'dist', 'bruno', 'keycloak', 'users', 'getusersbyrealm.yml'))).toBe(true);
    expect(readFileSync(mine, 'utf8')).toBe('info:\n  name: My request\n');
    expect((await runCli(['build', '--check'], { cwd: work })).code).toBe(0);
  });

  test('one invalid spec fails the build with file:line:col and leaves dist/ exactly as it was', async () => {
    await runCli(['build', '-q'], { cwd: work });
    const before = snapshotDir(join(work, 'dist'));
    const spec = join(work, 'specs', 'uipath-orchestrator.yaml');
    writeFileSync(
      spec,
      readFileSync(spec, 'utf8')
        .replace('clientAuth: body', 'clientAuth: bodyy')
        .replace('Scopes:\n', 'Scopes:\n'),
    );
    writeFileSync(
      join(work, 'specs', 'sap-ai-core.yaml'),
      readFileSync(join(work, 'specs', 'sap-ai-core.yaml'), 'utf8').replace(
        'default: default',
        'default: other',
      ),
    );
    const result = await runCli(['build'], { cwd: work });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /specs\/uipath-orchestrator\.yaml:\d+:\d+: error: token\.clientAuth must be one of basic, body, none, tls, client_secret_jwt, private_key_jwt; got "bodyy"/,
    );
    expect(result.stderr).toContain('nothing was written');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(snapshotDir(join(work, 'dist'))).toEqual(before);
  });

  test('build FILE --out DIR builds only that spec, elsewhere', async () => {
    const result = await runCli(['build', 'specs/biotz.yaml', '--out', 'elsewhere'], { cwd: work });
    expect(result.code).toBe(0);
    expect(Object.keys(snapshotDir(join(work, 'elsewhere')))).toEqual([
      'biotz.md',
      'biotz.postman_collection.json',
      'biotz.postman_environment.json',
      'bruno/biotz/environments/biotz.yml',
      'bruno/biotz/get-token.yml',
      'bruno/biotz/opencollection.yml',
      'bruno/biotz/publish-device-data.yml',
      'postman/collections/biotz/.resources/definition.yaml',
      'postman/collections/biotz/Get token.request.yaml',
      'postman/collections/biotz/Publish device data.request.yaml',
      'postman/environments/biotz.environment.yaml',
    ]);
  });
});

describe('tokenman validate', () => {
  test('checks specs without writing anything', async () => {
    const result = await runCli(['validate'], { cwd: work });
    expect(result.code).toBe(0);
    const seeds = readdirSync(join(work, 'specs')).filter((name) => name.endsWith('.yaml'));
    expect(result.stdout).toContain(`${seeds.length} spec(s) valid`);
    expect(readdirSync(work).sort()).toEqual(['schema', 'specs']);
  });

  test('--format json gives machines the problems with positions', async () => {
    const result = await runCli([
      'validate',
      '--format',
      'json',
      join(ROOT, 'test/fixtures/invalid/enum-near-miss.yaml'),
    ]);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json.valid).toBe(false);
    expect(json.problems[0]).toMatchObject({ line: 12, col: 10, severity: 'error' });
  });
});

test('--help lists every command', async () => {
  const result = await runCli(['--help']);
  expect(result.code).toBe(0);
  for (const command of ['build', 'validate', 'verify', 'serve', 'schema'])
    expect(result.stdout).toContain(command);
});

test('schema prints the spec JSON Schema that specs reference', async () => {
  const result = await runCli(['schema']);
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout)).toEqual(
    JSON.parse(readFileSync(join(ROOT, 'schema/spec.schema.json'), 'utf8')),
  );
  for (const name of readdirSync(join(ROOT, 'specs')).filter((file) => file.endsWith('.yaml'))) {
    expect(readFileSync(join(ROOT, 'specs', name), 'utf8')).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/schema\/spec\.schema\.json\n/,
    );
  }
});

test('--json is --format json', async () => {
  const result = await runCli(['build', '--check', '--json']);
  expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, drift: [] });
});
