import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

const LOCK_NAME = '.tokenman.lock';
const WAIT_MS = 30_000;
const POLL_MS = 25;
// A lock older than this was left by a build that died; builds take well under a second.
const STALE_MS = 60_000;

/**
 * Runs `work` while holding the output folder's lock, so two builds into the same folder run one
 * after the other instead of interleaving their files. mkdir is atomic on every file system we
 * target, which a check-then-create with files is not.
 */
export async function withOutputLock<T>(outDir: string, work: () => Promise<T>): Promise<T> {
  const lock = join(outDir, LOCK_NAME);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_MS) await rm(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) {
        throw new Error(`${outDir} is locked by another tokenman build (remove ${lock} if none is running)`);
      } else await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
