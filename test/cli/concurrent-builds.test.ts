import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { ROOT, runCli } from '../support/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'tokenman-concurrent-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

test('builds running at once into one folder never leave it mixed or half-written', async () => {
  cpSync(join(ROOT, 'specs'), join(work, 'specs'), { recursive: true });
  // A second spec set that differs from the first in one value, so a mixed folder would show.
  cpSync(join(ROOT, 'specs'), join(work, 'specs-b'), { recursive: true });
  const b = join(work, 'specs-b', 'sap-ai-core.yaml');
  writeFileSync(b, readFileSync(b, 'utf8').replace('default: default', 'default: set-b'));
  const dist = join(work, 'dist');

  let reading = true;
  const torn: string[] = [];
  const reader = (async () => {
    while (reading) {
      for (const name of existsSync(dist) ? readdirSync(dist) : []) {
        if (!name.endsWith('.json')) continue;
        try {
          JSON.parse(readFileSync(join(dist, name), 'utf8'));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') torn.push(name);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const builds = await Promise.all(
    ['specs', 'specs-b', 'specs', 'specs-b', 'specs', 'specs-b'].map((specs) =>
      runCli(['build', '--specs', specs, '--out', 'dist', '-q'], { cwd: work }),
    ),
  );
  reading = false;
  await reader;

  expect(builds.map((b) => b.code)).toEqual([0, 0, 0, 0, 0, 0]);
  expect(torn).toEqual([]);
  expect(readdirSync(dist).filter((name) => name.startsWith('.'))).toEqual([]);
  // Whichever build ran last, the folder is exactly one spec set's output.
  const a = await runCli(['build', '--specs', 'specs', '--out', 'dist', '--check'], { cwd: work });
  const bCheck = await runCli(['build', '--specs', 'specs-b', '--out', 'dist', '--check'], { cwd: work });
  expect([a.code, bCheck.code].sort()).toEqual([0, 1]);
});
