// A user clones the repository with nothing beside it: no file of the project may read or point to a
// folder outside it. This test walks every file git tracks (and every new one not ignored) and fails
// on a path that climbs out to a sibling `shared` folder.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

const ROOT = new URL('../../', import.meta.url);
// Built from parts so that this file does not name the path it looks for.
const SIBLING = new RegExp(['\\.\\.', 'shared'].join('[\\\\/]'));

test('no file of the project refers to a shared folder beside the repository', () => {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  expect(files.length).toBeGreaterThan(50);
  const offenders = files.filter((file) => {
    try {
      return SIBLING.test(readFileSync(new URL(file, ROOT), 'utf8'));
    } catch {
      return false; // deleted in the work tree but still in the index
    }
  });
  expect(offenders).toEqual([]);
});
