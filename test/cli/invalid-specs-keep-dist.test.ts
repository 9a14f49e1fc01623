// Every broken spec of the corpus, built by the real CLI beside a valid one: exit 1, one located
// error, no stack trace, and dist/ byte-identical afterwards (nothing half-written, nothing lost).
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { atLeastOne } from '../support/required.js';
import { ROOT, runCli } from '../support/run-cli.js';
import { snapshotTree } from '../support/snapshot-dir.js';

const invalidDir = join(ROOT, 'test/fixtures/invalid');
const cases = atLeastOne(
  readdirSync(invalidDir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort(),
  'invalid specs in test/fixtures/invalid',
);
let work: string;
let distBefore: Record<string, string>;

const snapshotDir = snapshotTree;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tokenman-invalid-'));
  mkdirSync(join(work, 'specs'));
  cpSync(join(ROOT, 'specs/biotz.yaml'), join(work, 'specs/biotz.yaml'));
  expect((await runCli(['build', '-q'], { cwd: work })).code).toBe(0);
  distBefore = snapshotDir(join(work, 'dist'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.concurrent.each(cases)('%s', (name) => {
  test('fails the build alone, with file:line:col, and leaves dist/ as it was', async () => {
    const specs = mkdtempSync(join(work, 'specs-'));
    cpSync(join(ROOT, 'specs/biotz.yaml'), join(specs, 'biotz.yaml'));
    cpSync(join(invalidDir, name), join(specs, name));
    const result = await runCli(['build', '--specs', specs, '--out', 'dist'], { cwd: work });
    expect(result.code).toBe(1);
    const errors = result.stderr.split('\n').filter((line) => line.includes(': error: '));
    expect(errors).toHaveLength(1);
    // Problems about the whole file (its name, its size) carry no line.
    if (!/spec-id|Uppercase/.test(name))
      expect(errors[0]).toMatch(new RegExp(`${name.replace('.', '\\.')}:\\d+:\\d+: error: `));
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).toContain('nothing was written');
    expect(snapshotDir(join(work, 'dist'))).toEqual(distBefore);
  });
});
