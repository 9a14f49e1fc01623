import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Every *.yaml / *.yml spec in a folder, sorted so builds and reports list them in one order. */
export async function findSpecFiles(specsDir: string): Promise<string[]> {
  const names = await readdir(specsDir);
  return names
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(specsDir, name));
}
