import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { RECORD_FROM } from '../../src/pipeline/build-record.js';
import { buildSpecs } from '../../src/pipeline/build-specs.js';
import { ROOT, runCli } from '../support/run-cli.js';
import { snapshotTree } from '../support/snapshot-dir.js';

// A build of many specs keeps a record of what it wrote (in the cache folder, never in the output
// folder), so that the next build into the same folder skips the specs that did not change. What a
// user checks is that such a build leaves the folder exactly as a full build would, whatever was
// done to it or to the specs in between, and writes nothing that is already as it should be.

const COUNT = RECORD_FROM + 10;
const WARNING_SPEC = join(ROOT, 'test', 'fixtures', 'warnings', 'get-with-client-secret.yaml');

let work: string;
let cache: string;
const env = () => ({ XDG_CACHE_HOME: cache });

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'tokenman-build-record-'));
  cache = join(work, 'cache');
  mkdirSync(join(work, 'specs'));
  const seeds = readdirSync(join(ROOT, 'specs'))
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => ({ id: name.slice(0, -5), text: readFileSync(join(ROOT, 'specs', name), 'utf8') }));
  for (let i = 0; i < COUNT - 1; i += 1) {
    const seed = seeds[i % seeds.length];
    if (!seed) throw new Error('no seed specs');
    const number = String(i).padStart(3, '0');
    const text = seed.text.replace(/^name: (["']?)(.*?)\1[ \t]*$/m, `name: $1$2 ${number}$1`);
    writeFileSync(join(work, 'specs', `${seed.id}-${number}.yaml`), text);
  }
  // One spec with a warning, which every build must show, whether it skips the spec or not.
  copyFileSync(WARNING_SPEC, join(work, 'specs', 'with-warning.yaml'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

const build = (out = 'dist', extra: string[] = []) =>
  runCli(['build', '--out', out, ...extra], { cwd: work, env: env() });

/** The summary line of a build: `N spec(s): W written, U unchanged, R removed`. */
function summary(stdout: string): string {
  return stdout.trim().split('\n').pop() ?? '';
}

/** What a full build writes into a new folder: the folder every build must leave behind. */
async function fullBuild(): Promise<Record<string, string>> {
  const fresh = await runCli(['build', '--out', 'fresh', '-q'], { cwd: work, env: env() });
  expect(fresh.code, fresh.stderr).toBe(0);
  return snapshotTree(join(work, 'fresh'));
}

function recordFiles(): string[] {
  const dir = join(cache, 'tokenman', 'builds');
  return readdirSync(dir).map((name) => join(dir, name));
}

describe(`a build of ${COUNT} specs into a folder it built before`, () => {
  test('writes nothing, leaves every file as it was, and shows the same warnings', async () => {
    const first = await build();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('with-warning.yaml');
    const files = Object.keys(snapshotTree(join(work, 'dist')));
    const times = files.map((name) => statSync(join(work, 'dist', name)).mtimeMs);

    const again = await build();
    expect(again.code, again.stderr).toBe(0);
    expect(summary(again.stdout)).toBe(`${COUNT} spec(s): 0 written, ${files.length} unchanged, 0 removed`);
    expect(again.stderr).toBe(first.stderr);
    expect(files.map((name) => statSync(join(work, 'dist', name)).mtimeMs)).toEqual(times);
    // Nothing but the build's files in the output folder.
    expect(readdirSync(join(work, 'dist')).filter((name) => name.startsWith('.'))).toEqual([]);
    expect((await build('dist', ['--check'])).code).toBe(0);
  });

  test("writes a changed spec's files, puts back what was edited (even to the same size) or deleted, and removes what a deleted spec made", async () => {
    expect((await build()).code).toBe(0);
    const dist = join(work, 'dist');
    const edited = 'keycloak-003.postman_collection.json';
    const text = readFileSync(join(dist, edited), 'utf8');
    writeFileSync(join(dist, edited), text.replace('"POST"', '"PUSH"'));
    expect(statSync(join(dist, edited)).size).toBe(Buffer.byteLength(text));
    const deleted = 'bruno/okta-005/opencollection.yml';
    unlinkSync(join(dist, deleted));
    unlinkSync(join(work, 'specs', 'biotz-000.yaml'));
    const changed = join(work, 'specs', 'salesforce-006.yaml');
    writeFileSync(changed, readFileSync(changed, 'utf8').replace(/^name: (.*)$/m, 'name: $1 renamed'));

    const again = await build();
    expect(again.code, again.stderr).toBe(0);
    const lines = again.stdout.trim().split('\n');
    const wrote = lines.filter((line) => line.startsWith('wrote'));
    expect(wrote).toContain(`wrote   dist/${deleted}`);
    expect(wrote).toContain(`wrote   dist/${edited}`);
    const others = wrote.filter((line) => !line.endsWith(deleted) && !line.endsWith(edited));
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((line) => line.includes('salesforce-006'))).toBe(true);
    const removed = lines.filter((line) => line.startsWith('removed'));
    expect(removed.length).toBeGreaterThan(0);
    expect(removed.every((line) => line.includes('biotz-000'))).toBe(true);
    expect(snapshotTree(dist)).toEqual(await fullBuild());
  });

  test('trusts no record of other code, nor a damaged one', async () => {
    expect((await build()).code).toBe(0);
    const [recordFile] = recordFiles();
    if (!recordFile) throw new Error('the build kept no record');
    const record = JSON.parse(readFileSync(recordFile, 'utf8'));
    const dist = join(work, 'dist');
    const edited = 'sap-ai-core-007.md';
    const spec = 'specs/sap-ai-core-007.yaml';
    writeFileSync(join(dist, edited), 'edited by hand\n');
    // A record that says the edited file is what the spec builds to: as if another tokenman,
    // whose docs page said so, had kept it.
    const lying = structuredClone(record);
    lying.specs[spec].files[edited] = createHash('sha256').update('edited by hand\n').digest('base64');
    const wroteEdited = async () => (await build()).stdout.split('\n').includes(`wrote   dist/${edited}`);

    writeFileSync(recordFile, JSON.stringify({ ...lying, code: 'another tokenman' }));
    expect(await wroteEdited()).toBe(true);

    writeFileSync(join(dist, edited), 'edited by hand\n');
    writeFileSync(recordFile, '{"outDir": "');
    expect(await wroteEdited()).toBe(true);

    // The same record, of this code: believed, which is what the checks above guard against.
    writeFileSync(join(dist, edited), 'edited by hand\n');
    writeFileSync(recordFile, JSON.stringify(lying));
    expect(await wroteEdited()).toBe(false);
  });

  test('gives the library the same specs and problems as a full build', async () => {
    const options = { specsDir: join(work, 'specs'), outDir: join(work, 'lib'), workers: 0 };
    const previous = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = cache;
    try {
      const first = await buildSpecs(options);
      const again = await buildSpecs(options);
      expect(again.written?.written).toEqual([]);
      expect(again.written?.unchanged).toEqual(first.files);
      expect(again.specs).toEqual(first.specs);
      expect(again.problems).toEqual(first.problems);
    } finally {
      if (previous === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = previous;
    }
  });
});
