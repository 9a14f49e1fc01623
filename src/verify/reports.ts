// Reports never hold a secret at any moment: Newman writes them into a private folder, tokenman
// redacts them there and only then puts the redacted bytes where the user asked for them.
import { randomBytes } from 'node:crypto';
import { constants, rmSync } from 'node:fs';
import {
  access,
  chmod,
  lstat,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Redactor } from './redact.js';

export type ReporterName = 'cli' | 'junit' | 'json';

/** The files Newman's junit and json reporters write for one run in `dir`, when asked for. */
export function reportPaths(dir: string, baseName: string, reporters: ReporterName[]) {
  return {
    junit: reporters.includes('junit') ? join(dir, `${baseName}.junit.xml`) : undefined,
    json: reporters.includes('json') ? join(dir, `${baseName}.json`) : undefined,
  };
}

// Private folders (raw reports) and temporary files still on disk. An exit that does not wait for
// the cleanup (a second Ctrl+C calls process.exit) still removes them: 'exit' listeners run then.
const leftovers = new Set<string>();
let cleaningOnExit = false;

function track(path: string): void {
  leftovers.add(path);
  if (cleaningOnExit) return;
  cleaningOnExit = true;
  process.on('exit', () => {
    for (const left of leftovers) rmSync(left, { recursive: true, force: true });
  });
}

async function untrack(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
  leftovers.delete(path);
}

/**
 * What a private folder holds, as the first word of its name: raw reports, TLS keys, bru's values,
 * a Postman CLI run's values and home.
 */
export type PrivateDirKind = 'reports' | 'tls' | 'bru' | 'postman';

/** `tokenman-<kind>-<pid>-XXXXXX`: the pid of the process that made it, for the sweep. */
const PRIVATE_DIR_NAME = /^tokenman-(?:reports|tls|bru|postman)-(\d+)-[A-Za-z0-9]{6}$/;

/** The system's temporary folder is missing or not usable: the user's TMPDIR, most likely. */
export class TemporaryFolderError extends Error {
  override readonly name = 'TemporaryFolderError';
}

function temporaryFolderError(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'does not exist'
      : code === 'ENOTDIR'
        ? 'is not a folder'
        : code === 'EACCES' || code === 'EPERM'
          ? 'cannot be written (permission denied)'
          : code === 'ENOSPC' || code === 'EDQUOT'
            ? 'is on a full disk'
            : undefined;
  if (!why) return error;
  const named = process.env.TMPDIR ? ' (TMPDIR)' : '';
  return new TemporaryFolderError(
    `the temporary folder ${tmpdir()}${named} ${why}; tokenman keeps reports and keys there for a moment: set TMPDIR to a folder you can write, or unset it`,
  );
}

/** Throws TemporaryFolderError unless the system's temporary folder is a folder this user can write. */
export async function checkTemporaryFolder(): Promise<void> {
  try {
    if (!(await stat(tmpdir())).isDirectory()) throw Object.assign(new Error('ENOTDIR'), { code: 'ENOTDIR' });
    await access(tmpdir(), constants.W_OK);
  } catch (error) {
    throw temporaryFolderError(error);
  }
}

/** A fresh folder under the system's temporary folder that only this user can read. */
export async function createPrivateDir(kind: PrivateDirKind = 'reports'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `tokenman-${kind}-${process.pid}-`)).catch((error) => {
    throw temporaryFolderError(error);
  });
  track(dir);
  await chmod(dir, 0o700);
  return dir;
}

/** Whether a process with this pid runs (as this user or another). */
function runs(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the private folders that runs of tokenman killed before they could (SIGKILL, a power cut)
 * left in the temporary folder: one of this user's, made by a process that no longer runs. They hold
 * raw reports, client keys and filled environments. Returns how many were removed. A folder of a
 * run still going, or of another user, is left alone; so is anything else in the folder.
 */
export async function sweepStalePrivateDirs(): Promise<number> {
  // No temporary folder, nothing to sweep: a run that needs one says so when it does.
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  const uid = process.getuid?.();
  let removed = 0;
  for (const name of names) {
    const pid = Number(PRIVATE_DIR_NAME.exec(name)?.[1] ?? Number.NaN);
    if (!Number.isSafeInteger(pid) || pid === process.pid || runs(pid)) continue;
    const dir = join(tmpdir(), name);
    const info = await lstat(dir).catch(() => undefined);
    if (!info?.isDirectory() || (uid !== undefined && info.uid !== uid)) continue;
    await rm(dir, { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

export function removePrivateDir(dir: string): Promise<void> {
  return untrack(dir);
}

/**
 * Puts the redacted copy of a raw report at `target`: the bytes go to a temporary name beside it
 * and are renamed over it, so `target` is either absent or whole, and never unredacted.
 */
export async function publishReport(raw: string, target: string, redactor: Redactor): Promise<void> {
  const text = await readFile(raw, 'utf8');
  const redacted = raw.endsWith('.json')
    ? `${JSON.stringify(redactor.json(JSON.parse(text)), null, 2)}\n`
    : redactor.text(text);
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  track(temporary);
  try {
    await writeFile(temporary, redacted, { flag: 'wx' });
    await rename(temporary, target);
  } finally {
    await untrack(temporary);
  }
}
