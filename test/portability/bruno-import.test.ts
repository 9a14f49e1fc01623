// Bruno's own Postman importer converts the collections with no issues and keeps the token script
// and the inherited bearer auth, but the script it writes does not run in Bruno (last test): Bruno
// users take dist/bruno/<spec>/ instead (docs/bruno.md), and this file keeps docs/bruno.md honest.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { postmanToBruno, postmanToBrunoEnvironment } from '@usebruno/converters';
import { describe, expect, test } from 'vitest';
import { resolveBru } from '../../src/verify/run-bru.js';
import { DIST_DIR, seedSpecFiles } from '../support/specs.js';

const readDist = (name: string) => JSON.parse(readFileSync(new URL(name, DIST_DIR), 'utf8'));

describe.each(seedSpecFiles.map((file) => basename(file, '.yaml')))('%s', (id) => {
  test('converts through Bruno with no issues, keeping the scripts and the bearer auth', async () => {
    const collection = readDist(`${id}.postman_collection.json`);
    const { collection: bruno, issues } = await postmanToBruno(collection);
    expect(issues).toEqual([]);
    expect(bruno.name).toBe(collection.info.name);
    expect(bruno.root.request.auth).toMatchObject({ mode: 'bearer', bearer: { token: '{{Token}}' } });
    expect(bruno.root.request.script.req).toContain('function tokenmanPostmanBeforeRequest(');
    // The checks are the test scripts of tokenman's own requests (or of their folder), not the
    // collection's.
    expect(bruno.root.request.script.res ?? '').toBe('');
    // Every request is checked: by its own test script, or by its folder's ("Get token"); a folder
    // of the API's operations checks nothing itself, its requests do.
    type Item = { type: string; items?: Item[]; root?: { request?: { script?: { res?: string } } } } & {
      request?: { script?: { res?: string } };
    };
    const checked = (item: Item): void => {
      const res = item.type === 'folder' ? item.root?.request?.script?.res : item.request?.script?.res;
      if (item.type === 'folder' && !res) for (const child of item.items ?? []) checked(child);
      else expect(res).toMatch(/function tokenmanPostman(TokenAnswer|ExampleAnswer)Test\(/);
    };
    for (const item of bruno.items) checked(item);
    expect(bruno.items.map((item: { name: string }) => item.name)).toEqual(
      collection.item.map((item: { name: string }) => item.name),
    );
  });

  test('its environments convert with secrets still secret and empty', async () => {
    const names = readdirSync(DIST_DIR).filter(
      (name) => name.startsWith(`${id}.`) && name.endsWith('.postman_environment.json'),
    );
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const environment = await postmanToBrunoEnvironment(readDist(name));
      const secrets = environment.variables.filter((v: { secret: boolean }) => v.secret);
      expect(secrets.map((v: { name: string }) => v.name)).toContain('Token');
      for (const secret of secrets) expect(secret.value, secret.name).toBe('');
    }
  });
});

test('the imported script does not run in bru run: a SyntaxError on the first request, exit 1', async () => {
  const { collection } = await postmanToBruno(readDist('sap-ai-core.postman_collection.json'));
  // Written as the Bruno CLI writes an imported collection (its own code, from the pinned version).
  const fromCli = createRequire(createRequire(import.meta.url).resolve('@usebruno/cli/package.json'));
  const { createCollectionFromBrunoObject } = fromCli('./src/utils/collection.js') as {
    createCollectionFromBrunoObject(collection: unknown, dir: string, options: object): Promise<void>;
  };
  const dir = mkdtempSync(join(tmpdir(), 'tokenman-imported-'));
  try {
    await createCollectionFromBrunoObject(collection, dir, { format: 'yml' });
    const bru = resolveBru() ?? '';
    const run = spawnSync(process.execPath, [bru, 'run'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).toContain('SyntaxError');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
