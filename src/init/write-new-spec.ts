import { randomBytes } from 'node:crypto';
import { link, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkOutputFile, makeFolders, OutputRefusedError } from '../emit/output-path.js';

export type WriteOutcome =
  | { ok: true }
  | { ok: false; reason: 'exists' }
  | { ok: false; reason: 'failed'; message: string };

/**
 * Writes a new spec whole or not at all. The text goes to a temporary file first; without
 * `replace` it is then linked into place, which fails rather than overwrite a spec that exists (even
 * one created a moment ago by someone else); with `replace` it is renamed over the old one. A path
 * tokenman may not write (src/emit/output-path.ts) throws OutputRefusedError.
 */
export async function writeNewSpec(file: string, text: string, replace: boolean): Promise<WriteOutcome> {
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    // A link, a device or a folder at the spec's path is refused, --force or not.
    await checkOutputFile(file);
    await makeFolders(path.dirname(file));
    await writeFile(temporary, text, { flag: 'wx' });
    if (replace) {
      await rename(temporary, file);
      return { ok: true };
    }
    try {
      await link(temporary, file);
    } catch (error) {
      // File systems without hard links: exclusive creation still never overwrites.
      const code = (error as { code?: unknown }).code;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
      try {
        await writeFile(file, text, { flag: 'wx' });
      } catch (failure) {
        // Not whole: take back what this call created, never a spec that was there before.
        if ((failure as { code?: unknown }).code !== 'EEXIST') await unlink(file).catch(() => undefined);
        throw failure;
      }
    }
    return { ok: true };
  } catch (error) {
    if (error instanceof OutputRefusedError) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === 'EEXIST') return { ok: false, reason: 'exists' };
    return { ok: false, reason: 'failed', message: (error as Error).message };
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}
