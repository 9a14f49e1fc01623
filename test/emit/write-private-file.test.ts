// A file of secrets is written whole or not at all, readable by its owner only, on any machine (the
// full-disk case of test/cli/environment-command.test.ts needs root to mount a small file system).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { ensurePrivateFolder, writePrivateFile } from '../../src/emit/write-private-file.js';

const work = mkdtempSync(join(tmpdir(), 'tokenman-private-file-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

test('replaces a file with mode 0600 and leaves nothing beside it, whatever the umask', async () => {
  const dir = join(work, 'ok');
  await ensurePrivateFolder(dir, true);
  writeFileSync(join(dir, 'env.json'), 'old\n', { mode: 0o644 });
  const umask = process.umask(0);
  try {
    await writePrivateFile(join(dir, 'env.json'), 'new\n');
  } finally {
    process.umask(umask);
  }
  expect(readFileSync(join(dir, 'env.json'), 'utf8')).toBe('new\n');
  expect(statSync(join(dir, 'env.json')).mode & 0o777).toBe(0o600);
  expect(statSync(dir).mode & 0o777).toBe(0o700);
  expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'env.json']);
});

test('a write that fails at its last step takes its temporary file back and leaves the target as it was', async () => {
  const dir = join(work, 'fails');
  mkdirSync(join(dir, 'env.json', 'inside'), { recursive: true });
  // rename() cannot put a file over a folder that holds something.
  await expect(writePrivateFile(join(dir, 'env.json'), 'secret\n')).rejects.toThrow();
  expect(readdirSync(dir)).toEqual(['env.json']);
  expect(readdirSync(join(dir, 'env.json'))).toEqual(['inside']);
});
