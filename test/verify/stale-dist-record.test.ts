import { createHash } from 'node:crypto';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RECORD_FROM } from '../../src/pipeline/build-record.js';
import { buildSpecs } from '../../src/pipeline/build-specs.js';
import { findSpecFiles } from '../../src/spec/find-spec-files.js';
import { loadSpecs } from '../../src/spec/load-specs.js';
import type { Spec } from '../../src/spec/types.js';
import { staleDist } from '../../src/verify/stale-dist.js';
import { ROOT } from '../support/run-cli.js';

// Before verify runs a dist/ of many specs, it checks it against the record the build kept rather
// than generating every spec again: a spec whose file and files hash as recorded is current. The
// check must still find every file changed by hand, as generating and comparing does.

const work = mkdtempSync(join(tmpdir(), 'tokenman-stale-record-'));
const specsDir = join(work, 'specs');
const dist = join(work, 'dist');
let specs: Spec[];

beforeAll(async () => {
  mkdirSync(specsDir);
  const seeds = readdirSync(join(ROOT, 'specs'))
    .filter((name) => name.endsWith('.yaml'))
    .sort();
  for (let i = 0; i < RECORD_FROM + 5; i += 1) {
    const seed = seeds[i % seeds.length] as string;
    const text = readFileSync(join(ROOT, 'specs', seed), 'utf8');
    writeFileSync(join(specsDir, `${seed.slice(0, -5)}-${String(i).padStart(3, '0')}.yaml`), text);
  }
  // The API documents the seed specs name, beside them as in specs/.
  cpSync(join(ROOT, 'specs', 'apis'), join(specsDir, 'apis'), { recursive: true });
  const built = await buildSpecs({ specsDir, outDir: dist, workers: 0 });
  expect(built.problems.filter((p) => p.severity === 'error')).toEqual([]);
  specs = (await loadSpecs(await findSpecFiles(specsDir))).specs;
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const staleNames = async () => {
  const [problem] = await staleDist(specs, dist);
  return problem?.message ?? '';
};

test('a dist/ as the build left it is current; a file edited by hand (same size) or deleted is named', async () => {
  expect(await staleNames()).toBe('');
  const collection = join(dist, 'keycloak-003.postman_collection.json');
  const text = readFileSync(collection, 'utf8');
  writeFileSync(collection, text.replace('"POST"', '"PUSH"'));
  unlinkSync(join(dist, 'bruno', 'sap-ai-core-007', 'environments', 'client-secret.yml'));
  const message = await staleNames();
  expect(message).toContain(`${join(dist, 'keycloak-003.postman_collection.json')} (changed)`);
  expect(message).toContain(
    `${join(dist, 'bruno/sap-ai-core-007/environments/client-secret.yml')} (missing)`,
  );
  writeFileSync(collection, text);
  expect((await buildSpecs({ specsDir, outDir: dist, workers: 0 })).written?.written).toEqual([
    'bruno/sap-ai-core-007/environments/client-secret.yml',
  ]);
  expect(await staleNames()).toBe('');
});

test('an edited docs page is not run, so it is not stale', async () => {
  writeFileSync(join(dist, 'biotz-000.md'), 'edited by hand\n');
  expect(await staleNames()).toBe('');
});

test('the record is what spares the generating: one that says an edited file is current is believed', async () => {
  const recordDir = join(process.env.XDG_CACHE_HOME ?? '', 'tokenman', 'builds');
  const recordFile = readdirSync(recordDir)
    .map((name) => join(recordDir, name))
    .find((file) => readFileSync(file, 'utf8').includes(JSON.stringify(dist)));
  if (!recordFile) throw new Error('the build kept no record');
  const record = JSON.parse(readFileSync(recordFile, 'utf8'));
  // A spec without an API document: one that names a document is always generated again.
  const name = 'salesforce-006.postman_collection.json';
  writeFileSync(join(dist, name), '{"edited": "by hand"}\n');
  expect(await staleNames()).toContain(name);
  const entry = Object.values(record.specs).find((spec) =>
    Object.hasOwn((spec as { files: object }).files, name),
  );
  (entry as { files: Record<string, string> }).files[name] = createHash('sha256')
    .update('{"edited": "by hand"}\n')
    .digest('base64');
  writeFileSync(recordFile, JSON.stringify(record));
  expect(await staleNames()).toBe('');
});
