import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * Every file under dir by its `/`-separated path (dist/bruno/<spec>/… and the v3 collections'
 * `.resources/` included), with its text; the build's own entries (`.tokenman.lock`, staging folders
 * `.tokenman-tmp-*`) and what is inside them are left out.
 */
export function snapshotTree(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
      .filter((name) => !name.split('/').some((part) => part.startsWith('.tokenman')))
      .sort()
      .map((name) => [name, readFileSync(join(dir, name), 'utf8')]),
  );
}
