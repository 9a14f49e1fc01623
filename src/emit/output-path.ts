// Every path tokenman writes is checked here before a byte goes to it: a link is never written
// through or replaced (a `.tokenman -> .` would make the repository root private and ignored, a
// `/dev/stdout` would be swapped for a file of secrets), a device, a FIFO or a socket is never
// opened, and no command writes over a file it reads (the vendor's key file, which some vendors
// let you download once). Folders are made here too: Node's recursive mkdir spins for ever on a
// path the system refuses without saying why (anything under /proc).
import { lstat, mkdir, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { resolveReal } from './private-output-path.js';

/** A file a command reads, and how the user named it: `--credentials key.json`, `the spec …`. */
export interface CommandInput {
  /** How the message names it: `--credentials`, `-e`, `the spec`. */
  flag: string;
  path: string;
}

/**
 * A path tokenman will not write, and why, finishing "<path> …". Carries the path so the CLI can
 * name the flag it came from (src/cli/explain-error.ts), as it does for the system's own errors.
 */
export class OutputRefusedError extends Error {
  override readonly name = 'OutputRefusedError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path} ${reason}`);
  }
}

type Entry = Awaited<ReturnType<typeof lstat>>;

async function entryAt(at: string): Promise<Entry | undefined> {
  try {
    return await lstat(at);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** What a special file is, in words. */
function kindOf(entry: Entry): string {
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'a device';
  if (entry.isFIFO()) return 'a FIFO (named pipe)';
  if (entry.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The reason a link is refused, naming where it points (a dangling one too). */
async function linkReason(at: string, what: 'file' | 'folder'): Promise<string> {
  const target = await readlink(at).catch(() => undefined);
  const dangling = !(await stat(at).catch(() => undefined));
  const to = target === undefined ? '' : ` (to ${target}${dangling ? ', which does not exist' : ''})`;
  return `is a link${to}; tokenman writes no ${what} through a link: give the path itself`;
}

/** The command's input that `file` is (the same file, however it is reached), if any. */
async function inputAt(file: string, inputs: readonly CommandInput[]): Promise<CommandInput | undefined> {
  const real = await resolveReal(file);
  const info = await stat(file).catch(() => undefined);
  for (const input of inputs) {
    if ((await resolveReal(input.path)) === real) return input;
    const other = info && (await stat(input.path).catch(() => undefined));
    if (info && other && info.dev === other.dev && info.ino === other.ino) return input;
  }
  return undefined;
}

/**
 * Refuses (throws OutputRefusedError) a file tokenman is about to write that is a link, a folder,
 * a device, a FIFO or a socket, or one of the command's inputs. A missing file is fine.
 */
export async function checkOutputFile(file: string, inputs: readonly CommandInput[] = []): Promise<void> {
  const entry = await entryAt(file);
  if (entry?.isSymbolicLink()) throw new OutputRefusedError(file, await linkReason(file, 'file'));
  if (entry?.isDirectory()) throw new OutputRefusedError(file, 'is a folder; give a path for the file');
  if (entry && !entry.isFile())
    throw new OutputRefusedError(
      file,
      `is ${kindOf(entry)}, not a file tokenman may write; give a file's path`,
    );
  const input = await inputAt(file, inputs);
  if (input)
    throw new OutputRefusedError(
      file,
      `is ${input.flag} ${input.path}, which this command reads; give another path, so it stays as it is`,
    );
}

/**
 * Refuses a folder tokenman keeps as its own (`.tokenman/`, which it makes private and ignored by
 * git) when it is a link or anything but a folder. A missing one is fine.
 */
export async function checkOwnFolder(dir: string): Promise<void> {
  const entry = await entryAt(dir);
  if (entry?.isSymbolicLink()) throw new OutputRefusedError(dir, await linkReason(dir, 'folder'));
  if (entry && !entry.isDirectory())
    throw new OutputRefusedError(
      dir,
      `is ${entry.isFile() ? 'a file' : kindOf(entry)}, not a folder; move it away, or give --out`,
    );
}

/**
 * mkdir -p, one folder at a time: a folder the system will not make though its parent exists
 * (ENOENT under /proc, where Node's recursive mkdir retries for ever) is refused in words. A part
 * of the path that is a file fails as mkdir does (ENOTDIR, EEXIST), for the caller to explain.
 */
export async function makeFolders(dir: string, mode = 0o777): Promise<void> {
  const missing: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const found = await stat(at).catch(() => undefined);
    if (found) {
      // A file where a folder should be fails as mkdir would, with the path as the user gave it.
      if (!found.isDirectory()) throw systemError(missing.length ? 'ENOTDIR' : 'EEXIST', dir);
      break;
    }
    missing.push(at);
    if (path.dirname(at) === at) break;
  }
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder, { mode });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && (await stat(folder).catch(() => undefined))?.isDirectory()) continue;
      if (code === 'EEXIST' && (await entryAt(folder))?.isSymbolicLink())
        throw new OutputRefusedError(
          folder,
          'is a link to nothing (its target does not exist); give a folder',
        );
      if (code === 'ENOENT' && (await stat(path.dirname(folder)).catch(() => undefined))?.isDirectory())
        throw new OutputRefusedError(folder, UNWRITABLE_PLACE);
      throw error;
    }
  }
}

function systemError(code: string, at: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${at}`), { code, path: at });
}

/** Why a path in a folder that exists cannot be written (a pseudo file system such as /proc). */
export const UNWRITABLE_PLACE =
  'cannot be made: the system allows no files of yours there (as under /proc or /sys)';

/**
 * The error of creating `file` (or a temporary file beside it) in a folder that exists, as a
 * refusal when the system gave ENOENT for it; any other error as it is.
 */
export async function creationError(file: string, error: unknown): Promise<unknown> {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'ENOENT') return error;
  const folder = await stat(path.dirname(path.resolve(file))).catch(() => undefined);
  return folder?.isDirectory() ? new OutputRefusedError(file, UNWRITABLE_PLACE) : error;
}
