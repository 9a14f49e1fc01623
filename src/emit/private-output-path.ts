// Where a file of the user's secrets may go: inside a git work tree, only where git ignores it; and
// never into the folder a build writes (src/targets/build-output-folder.ts knows that folder).
import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import path from 'node:path';

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

/** Whether `child` is `parent` or inside it. */
export function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
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
