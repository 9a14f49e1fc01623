// Where a file of the user's secrets may go: never into the folder a build writes (committed and
// shared), and, inside a git work tree, only where git ignores it.
import { execFile } from 'node:child_process';
import { readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { BRUNO_COLLECTION_FILE, BRUNO_DIR } from '../targets/bruno/bruno-paths.js';
import { COLLECTION_SUFFIX } from '../targets/output-files.js';
import { POSTMAN_V3_DIR } from '../targets/postman/postman-v3-paths.js';

/** tokenman's own folder for such files, in the current folder; it ignores itself in git. */
export const PRIVATE_FOLDER = '.tokenman';

/**
 * The path with every link resolved, also when its end does not exist yet: the nearest folder that
 * exists is resolved and the rest appended, so `out -> dist` and `dist/../dist` are seen as dist.
 */
export async function resolveReal(target: string): Promise<string> {
  const absolute = path.resolve(target);
  const rest: string[] = [];
  let at = absolute;
  for (;;) {
    try {
      return path.join(await realpath(at), ...rest.reverse());
    } catch {
      const parent = path.dirname(at);
      if (parent === at) return absolute;
      rest.push(path.basename(at));
      at = parent;
    }
  }
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

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

function git(args: string[], cwd: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd }, (error) => {
      if (!error) resolve(0);
      else resolve(typeof error.code === 'number' ? error.code : undefined);
    });
  });
}

/**
 * Whether git would commit a file at this path: it is in a work tree and not ignored. False when
 * git is not installed or the folder is in no work tree.
 */
export async function committable(file: string): Promise<boolean> {
  const dir = path.dirname(path.resolve(file));
  if ((await git(['rev-parse', '--is-inside-work-tree'], dir)) !== 0) return false;
  // check-ignore exits 0 for an ignored path, 1 for one that is not (a tracked file is never ignored).
  return (await git(['check-ignore', '-q', path.basename(file)], dir)) === 1;
}
