// A build's output folder as a writer of secrets must recognise it: committed and shared, so no
// file of the user's secrets goes into it, nor into any folder laid out as a build's outputs are.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { isInside, resolveReal } from '../emit/private-output-path.js';
import { BRUNO_COLLECTION_FILE, BRUNO_DIR } from './bruno/bruno-paths.js';
import { COLLECTION_SUFFIX } from './output-files.js';
import { POSTMAN_V3_DIR } from './postman/postman-v3-paths.js';

/**
 * Why a file of secrets may not be written into `dir`, or undefined: `dir` is (inside) the build's
 * output folder; or it holds generated collections as a build's output folder does; or it is in a
 * Bruno collection (a folder with opencollection.yml, or its environments/), as any build's
 * `bruno/<spec>/` is, where `build --check` would not see a file that is none of its own.
 */
export async function buildOutputReason(dir: string, distDir: string): Promise<string | undefined> {
  const real = await resolveReal(dir);
  const dist = await resolveReal(distDir);
  if (isInside(real, dist)) return `is inside ${distDir}, the folder tokenman build writes`;
  // dir itself, and up to <build>/ from <build>/bruno/<spec>/environments/.
  const shown = (at: string) => {
    const relative = path.relative(process.cwd(), at);
    return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : at;
  };
  let child = '';
  for (let at = real, up = 0; up <= 4; child = at, at = path.dirname(at), up++) {
    const names = await readdir(at).catch(() => [] as string[]);
    if ((up === 0 || path.basename(child) === BRUNO_DIR) && names.some((n) => n.endsWith(COLLECTION_SUFFIX)))
      return up === 0
        ? 'is in a folder of generated collections (a tokenman build output)'
        : `is inside ${shown(at)}, a folder of generated collections (a tokenman build output)`;
    if (up <= 1 && names.includes(BRUNO_COLLECTION_FILE))
      return `is inside ${shown(at)}, a Bruno collection (a tokenman build output)`;
    // A build's Postman workspace: postman/collections/<spec>/... and postman/environments/.
    if (
      path.basename(at) === POSTMAN_V3_DIR &&
      names.includes('collections') &&
      names.includes('environments')
    )
      return `is inside ${shown(at)}, a Postman workspace of generated collections (a tokenman build output)`;
    if (path.dirname(at) === at) break;
  }
  return undefined;
}
