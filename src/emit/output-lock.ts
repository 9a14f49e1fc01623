import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_NAME = '.tokenman.lock';
/** Folders a build makes inside the output folder for a moment: staging, and locks being let go. */
export const TEMP_PREFIX = '.tokenman-tmp-';
/** A lock being prepared by a build that waits for it (it may not exist yet). */
const CANDIDATE_PREFIX = '.tokenman-lock-';
const OWNER_FILE = 'owner.json';
const WAIT_MS = 30_000;
const POLL_MS = 25;
// A candidate with no owner yet was left by a build killed in the instant between making it and
// writing its owner; a live one gets its owner within microseconds.
const ORPHAN_CANDIDATE_MS = 60_000;
// A takeover takes milliseconds; a marker this old is of a waiter killed in the middle of one.
const ORPHAN_MARKER_MS = 10_000;

/** Who holds a lock: enough to tell, on the same host, whether that build still runs. */
export interface LockOwner {
  pid: number;
  host: string;
  /** ISO time the build took the lock. */
  since: string;
  /** Tells this lock from a later one of a process that got the same pid. */
  nonce: string;
}

/** The output folder stayed locked by a build that runs (or runs on another host) for the whole wait. */
export class OutputLockedError extends Error {
  override readonly name = 'OutputLockedError';
  constructor(
    readonly outDir: string,
    readonly lock: string,
    readonly owner: LockOwner | undefined,
    readonly waitedMs: number,
  ) {
    const by = owner ? ` (pid ${owner.pid} on ${owner.host} since ${owner.since})` : '';
    super(
      `${outDir} stayed locked by another tokenman build${by} for ${Math.round(waitedMs / 1000)} s; run again when it ends, or remove ${lock} if no tokenman build is running`,
    );
  }
}

export interface LockOptions {
  /** Stop waiting (and throw the signal's reason) when this aborts. */
  signal?: AbortSignal | undefined;
  /** How long to wait for a live owner; default 30 s. */
  waitMs?: number | undefined;
}

/**
 * Runs `work` while holding the output folder's lock, so two builds into the same folder run one
 * after the other instead of interleaving their files.
 *
 * The lock is a folder holding its owner (pid, host, a nonce). It appears whole: a waiter prepares
 * a candidate folder with its owner file and renames it into place, which fails while another lock
 * is there, so no build ever sees a lock without its owner. A lock whose owner no longer runs (a
 * build killed with SIGKILL, a crash, a power cut) is taken over at once rather than waited on;
 * `work` is told so it can clean what that build left.
 */
export async function withOutputLock<T>(
  outDir: string,
  work: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const lock = join(outDir, LOCK_NAME);
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    nonce: randomBytes(8).toString('hex'),
  };
  await acquire(outDir, lock, owner, options);
  try {
    return await work();
  } finally {
    // Renamed away first, so a waiter never renames its lock onto a half-removed folder of ours.
    const away = join(outDir, `${TEMP_PREFIX}released-${owner.nonce}`);
    await rename(lock, away).then(
      () => rm(away, { recursive: true, force: true }),
      () => undefined,
    );
  }
}

async function acquire(outDir: string, lock: string, owner: LockOwner, options: LockOptions): Promise<void> {
  const waitMs = options.waitMs ?? WAIT_MS;
  const started = Date.now();
  const candidate = await mkdtemp(join(outDir, CANDIDATE_PREFIX));
  try {
    await writeFile(join(candidate, OWNER_FILE), `${JSON.stringify(owner)}\n`);
    let vanished = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      let refusal: unknown;
      try {
        await rename(candidate, lock);
        return;
      } catch (error) {
        if (!isHeld(error)) throw error;
        refusal = error;
      }
      const current = await readOwner(lock);
      if (current === null) {
        // No lock there: released between the two calls, or (when it keeps happening) the folder
        // refuses us for its permissions.
        if (++vanished > 3) throw refusal;
        continue;
      }
      vanished = 0;
      if (!isAlive(current) && (await takeOver(outDir, lock, current))) continue;
      if (Date.now() - started > waitMs) throw new OutputLockedError(outDir, lock, current, waitMs);
      await sleep(POLL_MS, options.signal);
    }
  } finally {
    await rm(candidate, { recursive: true, force: true });
  }
}

/** The codes rename gives when the target folder exists (POSIX says ENOTEMPTY or EEXIST; Windows EPERM). */
function isHeld(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'EPERM' || code === 'EACCES';
}

/** The lock's owner; undefined for a lock without one (an older tokenman's); null when there is no lock. */
async function readOwner(lock: string): Promise<LockOwner | undefined | null> {
  try {
    const owner = JSON.parse(await readFile(join(lock, OWNER_FILE), 'utf8')) as Partial<LockOwner>;
    if (typeof owner.pid === 'number' && typeof owner.host === 'string' && typeof owner.nonce === 'string')
      return owner as LockOwner;
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return (await exists(lock)) ? undefined : null;
    if (code === 'ENOTDIR') return undefined;
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/**
 * Whether the build that holds the lock still runs. Only a process on this host can be asked; one
 * on another host (a shared network folder) is taken to run. A lock without an owner is from an
 * older tokenman, whose lock a build of this one could never be waiting on.
 */
export function isAlive(owner: LockOwner | undefined): boolean {
  if (owner === undefined) return false;
  if (owner.host !== hostname()) return true;
  // Our own pid on a lock we do not hold: a process before us that had the same pid (containers
  // often run every build as the same pid).
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes a dead owner's lock so the waiters can race for a new one; true when it is gone. Of
 * several waiters only the one that makes the takeover marker goes on, and only if the lock is
 * still that owner's: the marker may have landed in a new lock another waiter just took. A marker
 * left by a waiter killed in the middle of a takeover is cleared once it is old.
 */
async function takeOver(outDir: string, lock: string, dead: LockOwner | undefined): Promise<boolean> {
  const tag = dead?.nonce ?? 'no-owner';
  const marker = join(lock, `takeover-${tag}`);
  try {
    await mkdir(marker);
  } catch {
    const age = await stat(marker).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > ORPHAN_MARKER_MS) await rmdir(marker).catch(() => undefined);
    return false; // another waiter is taking it over, or it is gone
  }
  const now = await readOwner(lock).catch(() => null);
  if (now === null || (now?.nonce ?? 'no-owner') !== tag) {
    await rmdir(marker).catch(() => undefined);
    return now === null;
  }
  const away = join(outDir, `${TEMP_PREFIX}released-${tag}-${randomBytes(4).toString('hex')}`);
  try {
    await rename(lock, away);
  } catch {
    return false; // a waiter that cleared an old marker got there first
  }
  await rm(away, { recursive: true, force: true });
  return true;
}

/**
 * Removes lock candidates left by waiting builds that were killed. Called while holding the lock;
 * a candidate of a build that still waits is kept.
 */
export async function removeDeadCandidates(outDir: string): Promise<void> {
  for (const name of await readdir(outDir)) {
    if (!name.startsWith(CANDIDATE_PREFIX)) continue;
    const folder = join(outDir, name);
    const owner = await readOwner(folder).catch(() => null);
    if (owner === null) continue;
    const orphan =
      owner === undefined &&
      (await stat(folder).then(
        (s) => Date.now() - s.mtimeMs > ORPHAN_CANDIDATE_MS,
        () => false,
      ));
    if ((owner !== undefined && !isAlive(owner)) || orphan)
      await rm(folder, { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
