import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { ROOT } from '../support/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'tokenman-watch-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

test('build --watch rebuilds a saved spec, reports a broken one and keeps going', async () => {
  cpSync(join(ROOT, 'specs'), join(work, 'specs'), { recursive: true });
  const bin = fileURLToPath(new URL('../../bin/tokenman.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'build', '--watch'], { cwd: work });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  /** Waits until the output holds `times` matches of the pattern. */
  const waitFor = async (pattern: RegExp, times = 1) => {
    const deadline = Date.now() + 15_000;
    const global = new RegExp(pattern.source, 'g');
    while ((out.match(global) ?? []).length < times) {
      if (Date.now() > deadline) throw new Error(`no ${pattern} in:\n${out}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  await waitFor(/specs\/: .*wrote dist\/biotz\.postman_collection\.json/);
  const spec = join(work, 'specs', 'biotz.yaml');
  const original = readFileSync(spec, 'utf8');
  writeFileSync(spec, original.replace('default: biotz-platform', 'default: biotz-staging'));
  await waitFor(/specs\/biotz\.yaml: .*wrote dist\/biotz\.postman_environment\.json/);
  expect(readFileSync(join(work, 'dist', 'biotz.postman_environment.json'), 'utf8')).toContain(
    'biotz-staging',
  );

  writeFileSync(spec, original.replace('grant: password', 'grant: pasword'));
  await waitFor(/biotz\.yaml:\d+:\d+: error: token\.grant must be one of/);
  await waitFor(/specs\/biotz\.yaml: 1 error\(s\), nothing written; still watching/);
  expect(readFileSync(join(work, 'dist', 'biotz.postman_environment.json'), 'utf8')).toContain(
    'biotz-staging',
  );

  writeFileSync(spec, original);
  await waitFor(/specs\/biotz\.yaml: .*wrote dist\/biotz\.postman_environment\.json/, 2);
  expect(readFileSync(join(work, 'dist', 'biotz.postman_environment.json'), 'utf8')).toContain(
    'biotz-platform',
  );
  expect(existsSync(join(work, 'dist', 'biotz.postman_collection.json'))).toBe(true);

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
});
