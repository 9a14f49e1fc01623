import { randomBytes } from 'node:crypto';
import { chmod, open, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkOwnFolder, creationError, makeFolders } from './output-path.js';

/** A file of secrets: readable and writable by its owner only. */
export const PRIVATE_FILE_MODE = 0o600;
/** A folder of such files: only its owner may list or enter it. */
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Writes a file of secrets whole or not at all, readable by the user only: the text goes to a
 * temporary file beside it (created 0600, so no other user ever sees a byte of it), is flushed to
 * the disk, and is renamed over the target. A failure (a full disk, a stop) removes the temporary
 * file and leaves the target as it was.
 */
export async function writePrivateFile(file: string, text: string): Promise<void> {
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    const handle = await open(temporary, 'wx', PRIVATE_FILE_MODE).catch(async (error) => {
      throw await creationError(file, error);
    });
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The mode asked for at creation is narrowed by the umask, never widened; this makes it exact.
    await chmod(temporary, PRIVATE_FILE_MODE);
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/**
 * A folder for such files, made 0700 where missing. With `ignoreAll` (tokenman's own `.tokenman/`)
 * it is made 0700 even when it was there, and holds a `.gitignore` of `*`, so nothing in it is ever
 * committed, whatever the repository's own `.gitignore` says; it must then be a folder itself, not
 * a link, or the folder linked to (the repository's root, say) would become private and ignored.
 */
export async function ensurePrivateFolder(dir: string, ignoreAll: boolean): Promise<void> {
  if (ignoreAll) await checkOwnFolder(dir);
  await makeFolders(dir, PRIVATE_DIR_MODE);
  if (!ignoreAll) return;
  await chmod(dir, PRIVATE_DIR_MODE);
  await writeFile(path.join(dir, '.gitignore'), '*\n', { flag: 'wx' }).catch((error) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
}
