import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { OutputLockedError } from '../emit/output-lock.js';
import { OutputRefusedError } from '../emit/output-path.js';
import { TemporaryFolderError } from '../verify/reports.js';
import { UsageError } from './usage-error.js';

/** A command's flag that names a file or folder, and what a valid value is, for messages. */
export interface PathFlag {
  /** As the user types it: `--out`, `-e`. */
  flag: string;
  value: string | undefined;
  /** What would be valid, finishing "give …": `a folder of *.yaml specs`. */
  expects: string;
  /** tokenman writes there (a full disk is this flag's). */
  writes?: boolean;
}

/**
 * The user's mistakes that surface as errors deep inside a command (a folder that does not exist, a
 * file where a folder should be, a full disk, a folder locked by a build that still runs), as one
 * sentence naming the flag, or undefined for a bug. An error is matched to the flag whose path it
 * is on; the system's own message is never shown, since it says less and may quote a path twice.
 */
export function explainError(error: unknown, flags: readonly PathFlag[]): string | undefined {
  if (error instanceof UsageError || error instanceof TemporaryFolderError) return error.message;
  if (error instanceof OutputLockedError) {
    const flag = flagFor(error.outDir, flags)?.flag;
    return flag ? `${flag.flag} ${error.message}` : error.message;
  }
  if (error instanceof OutputRefusedError) {
    // The flag's own path, a file or folder tokenman makes under it, or a folder above it.
    const writers = flags.filter((f) => f.writes);
    const match =
      flagFor(error.path, writers) ?? flagBelow(error.path, writers) ?? flagFor(error.path, flags);
    if (!match?.flag.value) return error.message;
    const { flag } = match;
    return match.depth === 0
      ? `${flag.flag} ${flag.value} ${error.reason}`
      : `${flag.flag} ${flag.value}: ${error.message}`;
  }
  const fsError = error as NodeJS.ErrnoException;
  if (typeof fsError?.code !== 'string') return undefined;
  if (typeof fsError.path !== 'string') {
    // A write through an open file names no path; the folder tokenman writes to is the one.
    if (fsError.code !== 'ENOSPC' && fsError.code !== 'EDQUOT') return undefined;
    const out = flags.filter((f) => f.writes && f.value);
    const named = out.length === 1 ? ` of ${out[0]?.flag} ${out[0]?.value}` : '';
    return `no space left on the disk${named}; free some space and run tokenman again`;
  }
  const match = flagFor(fsError.path, flags);
  const flag = match?.flag;
  // A missing file or a wrong kind of file is the flag's own mistake only on the path it names.
  const own = match?.depth === 0 ? flag : undefined;
  const named = flag ? `${flag.flag} ${flag.value}` : fsError.path;
  const give = flag ? `; give ${flag.expects}` : '';
  switch (fsError.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `no space left on the disk of ${named}; free some space and run tokenman again`;
    case 'EROFS':
      return `${named} is on a read-only file system${give}`;
    case 'EACCES':
    case 'EPERM':
      return `${named} cannot be ${flag?.writes ? 'written' : 'read'} (permission denied)${give}`;
    case 'ENOENT':
      return own ? `${named} does not exist${give}` : undefined;
    case 'ENOTDIR':
    case 'EEXIST':
      if (!own) return undefined;
      return fileOnPath(own.value ?? '') === own.value
        ? `${named} is a file, not a folder${give}`
        : `${named} is not a folder: ${fileOnPath(own.value ?? '')} is a file${give}`;
    case 'EISDIR':
      return own ? `${named} is a folder${give}` : undefined;
    default:
      return undefined;
  }
}

/** The flag whose value is the path or a folder above it; the closest wins. */
function flagFor(path: string, flags: readonly PathFlag[]): { flag: PathFlag; depth: number } | undefined {
  let best: { flag: PathFlag; depth: number } | undefined;
  for (const flag of flags) {
    if (flag.value === undefined || flag.value === '') continue;
    const rest = relative(resolve(flag.value), resolve(path));
    if (rest.startsWith('..') || isAbsolute(rest)) continue;
    const depth = rest === '' ? 0 : rest.split(/[\\/]/).length;
    if (!best || depth < best.depth) best = { flag, depth };
  }
  return best;
}

/** A flag whose path is inside this folder (a folder tokenman would make for it). */
function flagBelow(
  folder: string,
  flags: readonly PathFlag[],
): { flag: PathFlag; depth: number } | undefined {
  const flag = flags.find((f) => {
    if (!f.value) return false;
    const rest = relative(resolve(folder), resolve(f.value));
    return rest !== '' && !rest.startsWith('..') && !isAbsolute(rest);
  });
  return flag ? { flag, depth: -1 } : undefined;
}

/** The first part of a path that is a file (where a folder was needed): the path itself or a parent. */
function fileOnPath(path: string): string {
  const parts = path.split(/[\\/]/);
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/') || '/';
    try {
      if (!statSync(prefix).isDirectory()) return prefix;
    } catch {
      break;
    }
  }
  return path;
}

/** A flag given as an empty string (`--out ""`, an unset shell variable) is refused before any work. */
export function emptyFlag(flags: readonly PathFlag[]): string | undefined {
  const empty = flags.find((f) => f.value === '');
  return empty ? `${empty.flag} is empty; give ${empty.expects}` : undefined;
}
