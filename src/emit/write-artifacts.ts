import { mkdir, mkdtemp, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { forEachLimited } from './for-each-limited.js';
import { removeDeadCandidates, TEMP_PREFIX, withOutputLock } from './output-lock.js';
import { makeFolders } from './output-path.js';

const IO_CONCURRENCY = 32;

/**
 * What the writer asks of the files' layout, which the targets know (src/targets/output-files.ts):
 * the writer itself knows files, not formats.
 */
export interface OutputLayout {
  /** The spec a file belongs to: its files are replaced together. */
  specOf(fileName: string): string;
  /** Whether a file found in the folder is one a build writes; `all` is every file found there. */
  isGenerated(fileName: string, all: ReadonlySet<string>): boolean;
  /** Whether a generated file of a spec still built, that the build no longer writes, is to go. */
  isLeftover(fileName: string, text: () => Promise<string>): Promise<boolean>;
}

export interface WriteOptions {
  /** Which files of the folder are a build's, and which spec each belongs to. */
  layout: OutputLayout;
  /** Remove generated files in the folder that these artifacts do not include (a deleted spec). */
  prune: boolean;
  /**
   * Stops the work: before any file is replaced, nothing is (the folder stays as it was); once
   * replacing has begun it is finished first, so no spec's files are left out of step.
   */
  signal?: AbortSignal | undefined;
  /** How long to wait for another build that holds the folder's lock; default 30 s. */
  lockWaitMs?: number | undefined;
  /**
   * Files of the build that already hold what they should, worked out by the caller while the
   * folder is locked and before any artifact is pulled (a build checks them against its record of
   * the last build): neither compared nor written, but counted unchanged and never pruned.
   */
  current?: (() => Promise<Iterable<string>>) | undefined;
  /**
   * Told of each file the build replaces, with the text it held, before it is replaced: the caller
   * may say what changed inside it (emit knows files, not what is in them).
   */
  onReplace?: ((fileName: string, previous: string, next: string) => void) | undefined;
}

export interface WriteResult {
  written: string[];
  unchanged: string[];
  removed: string[];
}

export type DriftKind = 'missing' | 'changed' | 'stale';

export interface Drift {
  fileName: string;
  kind: DriftKind;
}

export interface CheckResult {
  /** How the folder differs, by file name. */
  drift: Drift[];
  /** Every file the artifacts name. */
  files: string[];
}

const TEXT = new TextDecoder();

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A file to write: an artifact, or one whose text is already UTF-8 bytes (as worker threads hand
 * them over, moved rather than copied).
 */
export interface OutputFile {
  fileName: string;
  content: string | Uint8Array;
}

async function readIfExists(file: string): Promise<string | undefined>;
async function readIfExists(file: string, encoding: null): Promise<Buffer | undefined>;
async function readIfExists(
  file: string,
  encoding: 'utf8' | null = 'utf8',
): Promise<string | Buffer | undefined> {
  try {
    return await readFile(file, { encoding });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * How a file differs from what the folder holds. `found`, when the folder was listed, is every file
 * in it: one it does not name is missing without trying to read it (a first build into an empty
 * folder reads nothing).
 */
async function driftOf(
  artifact: OutputFile,
  outDir: string,
  found?: ReadonlySet<string>,
  onReplace?: WriteOptions['onReplace'],
): Promise<DriftKind | undefined> {
  if (found && !found.has(artifact.fileName)) return 'missing';
  const file = join(outDir, artifact.fileName);
  const { content } = artifact;
  const current = typeof content === 'string' ? await readIfExists(file) : await readIfExists(file, null);
  if (current === undefined) return 'missing';
  const same = typeof current === 'string' ? current === content : current.equals(content as Uint8Array);
  if (same) return undefined;
  onReplace?.(
    artifact.fileName,
    current.toString(),
    typeof content === 'string' ? content : TEXT.decode(content),
  );
  return 'changed';
}

/** Entries the writer keeps in the folder while it works: never a build's output. */
function isWorkingEntry(name: string): boolean {
  return name.startsWith(TEMP_PREFIX) || name.startsWith('.tokenman');
}

/** Every file under outDir, `/`-separated and relative to it, a few folders deep; [] when it does not exist. */
async function filesIn(outDir: string, dir = '', depth = 0): Promise<string[]> {
  const entries = await readdir(join(outDir, dir), { withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [];
      throw error;
    },
  );
  const names: string[] = [];
  for (const entry of entries) {
    if (depth === 0 && isWorkingEntry(entry.name)) continue;
    const name = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isFile()) names.push(name);
    else if (entry.isDirectory() && depth < MAX_DEPTH)
      names.push(...(await filesIn(outDir, name, depth + 1)));
  }
  return names;
}

/**
 * How deep a build's files may stand: `postman/collections/<spec>/<folder>/.resources/definition.yaml`
 * is five folders down.
 */
const MAX_DEPTH = 6;

/**
 * Generated files the artifacts no longer include: every file of a spec that is gone; of a spec
 * still built, only the leftovers the layout names (its folder may hold files the user added).
 */
async function staleFiles(
  outDir: string,
  expected: Set<string>,
  layout: OutputLayout,
  found: ReadonlySet<string>,
): Promise<string[]> {
  const live = new Set([...expected].map((name) => layout.specOf(name)));
  const stale: string[] = [];
  for (const name of found) {
    if (expected.has(name) || !layout.isGenerated(name, found)) continue;
    const flat = !name.includes('/');
    if (flat || !live.has(layout.specOf(name))) stale.push(name);
    else if (await layout.isLeftover(name, () => readFile(join(outDir, name), 'utf8').catch(() => '')))
      stale.push(name);
  }
  return stale.sort(byName);
}

/**
 * How the folder differs from what the artifacts say it should hold. The artifacts may be a
 * generator: each is made, compared and dropped in turn, so no build holds them all.
 */
export async function checkArtifacts(
  artifacts: Iterable<OutputFile> | AsyncIterable<OutputFile>,
  outDir: string,
  options: WriteOptions,
): Promise<CheckResult> {
  const drift: Drift[] = [];
  const files = new Set<string>();
  // Pruning needs the folder's listing anyway; it also tells which files there is no use reading.
  const found = options.prune ? new Set(await filesIn(outDir)) : undefined;
  await forEachLimited(artifacts, IO_CONCURRENCY, async (artifact) => {
    options.signal?.throwIfAborted();
    files.add(artifact.fileName);
    const kind = await driftOf(artifact, outDir, found);
    if (kind) drift.push({ fileName: artifact.fileName, kind });
  });
  if (found)
    for (const name of await staleFiles(outDir, files, options.layout, found))
      drift.push({ fileName: name, kind: 'stale' });
  return { drift: drift.sort((a, b) => byName(a.fileName, b.fileName)), files: [...files].sort(byName) };
}

/** What a build is about to do to the output folder, written before it starts doing it. */
interface Journal {
  /** Files in the staging folder's `files/` to rename over their namesakes in the output folder. */
  rename: string[];
  /** Generated files to remove from the output folder. */
  remove: string[];
}

const STAGED = 'files';
const JOURNAL = 'journal.json';

/**
 * Writes the artifacts into outDir so that a reader never sees a half-written file and no stop
 * leaves a spec's files out of step:
 *
 * 1. every changed file is written in full to a staging folder inside outDir (same file system);
 *    a stop or failure here removes the staging folder and outDir is as it was;
 * 2. a journal listing the renames and removals is put in the staging folder, in one rename;
 * 3. each file is renamed over its old version (a spec's files one after another) and stale ones
 *    removed. A stop asked for here waits for the renames, which take milliseconds; a kill (where
 *    no code runs) leaves the journal, and the next build into outDir finishes the renames before
 *    anything else, so the folder holds that build's whole output.
 *
 * The artifacts may be a generator, made one at a time as there is room to write them.
 */
export async function writeArtifacts(
  artifacts: Iterable<OutputFile> | AsyncIterable<OutputFile>,
  outDir: string,
  options: WriteOptions,
): Promise<WriteResult> {
  await makeFolders(outDir);
  const { signal } = options;
  const work = async () => {
    await finishInterrupted(outDir, options.layout);
    const result: WriteResult = { written: [], unchanged: [], removed: [] };
    const files = new Set<string>();
    for (const name of (await options.current?.()) ?? []) {
      files.add(name);
      result.unchanged.push(name);
    }
    // Pruning needs the folder's listing anyway; it also tells which files there is no use reading.
    const found = options.prune ? new Set(await filesIn(outDir)) : undefined;
    const staging = await mkdtemp(join(outDir, TEMP_PREFIX));
    const folders = new FolderMaker();
    // Once the journal is written the staging folder is kept if renaming fails, so the next build
    // can finish it rather than leave some specs renamed and others not.
    let journaled = false;
    try {
      await mkdir(join(staging, STAGED));
      await forEachLimited(artifacts, IO_CONCURRENCY, async (artifact) => {
        signal?.throwIfAborted();
        files.add(artifact.fileName);
        if (!(await driftOf(artifact, outDir, found, options.onReplace)))
          return result.unchanged.push(artifact.fileName);
        const staged = join(staging, STAGED, artifact.fileName);
        // A Bruno file lives in bruno/<spec>/ (and its environments/): the same folders are staged.
        if (artifact.fileName.includes('/')) await folders.make(dirname(staged));
        await writeFile(staged, artifact.content);
        result.written.push(artifact.fileName);
      });
      const journal: Journal = {
        rename: result.written,
        remove: found ? await staleFiles(outDir, files, options.layout, found) : [],
      };
      // The last point at which stopping leaves outDir as it was.
      signal?.throwIfAborted();
      if (journal.rename.length || journal.remove.length) {
        await writeFile(join(staging, `${JOURNAL}.part`), JSON.stringify(journal));
        await rename(join(staging, `${JOURNAL}.part`), join(staging, JOURNAL));
        journaled = true;
        await applyJournal(staging, outDir, journal, options.layout);
      }
      result.removed = journal.remove;
      journaled = false;
    } finally {
      if (!journaled) await rm(staging, { recursive: true, force: true });
    }
    for (const list of Object.values(result)) list.sort(byName);
    return result;
  };
  return withOutputLock(outDir, work, { signal, waitMs: options.lockWaitMs });
}

/** Renames each staged file into outDir, a spec's files together, then removes the stale ones. */
async function applyJournal(
  staging: string,
  outDir: string,
  journal: Journal,
  layout: Pick<OutputLayout, 'specOf'>,
): Promise<void> {
  const bySpec = new Map<string, string[]>();
  for (const name of journal.rename) {
    const id = layout.specOf(name);
    const names = bySpec.get(id);
    if (names) names.push(name);
    else bySpec.set(id, [name]);
  }
  const folders = new FolderMaker();
  await forEachLimited(bySpec.values(), IO_CONCURRENCY, async (names) => {
    for (const name of names) {
      if (name.includes('/')) await folders.make(dirname(join(outDir, name)));
      // Already moved when a journal left by a killed build is finished.
      await rename(join(staging, STAGED, name), join(outDir, name)).catch(ignoreMissing);
    }
  });
  for (const name of journal.remove) {
    await rm(join(outDir, name), { force: true });
    await removeEmptyFolders(outDir, name);
  }
}

/**
 * mkdir -p for the folders of many files, each folder asked for once: a thousand specs' Bruno files
 * would otherwise make the same few folders thousands of times over. Files written at once into a
 * new folder wait for the one making of it.
 */
class FolderMaker {
  private readonly made = new Map<string, Promise<unknown>>();

  make(dir: string): Promise<unknown> {
    let making = this.made.get(dir);
    if (!making) {
      making = mkdir(dir, { recursive: true });
      // A failure is the write's to report; the next file into that folder tries again.
      making.catch(() => this.made.delete(dir));
      this.made.set(dir, making);
    }
    return making;
  }
}

/** Removes the folders of a removed file that are left empty (a deleted spec's bruno/<spec>/). */
async function removeEmptyFolders(outDir: string, fileName: string): Promise<void> {
  for (let dir = dirname(fileName); dir !== '.' && dir !== '/'; dir = dirname(dir)) {
    try {
      await rmdir(join(outDir, dir));
    } catch {
      return; // not empty (a file of the user's), or already gone
    }
  }
}

/** A name a journal may hold: relative, `/`-separated, never leaving the output folder. */
function isSafeName(name: string): boolean {
  return (
    !name.includes('\\') && name.split('/').every((part) => part !== '' && part !== '.' && part !== '..')
  );
}

/**
 * Cleans what builds that were stopped or killed left in outDir (called while holding its lock):
 * a staging folder with a journal is a build killed while renaming, finished here; one without is
 * a build stopped before it changed anything, removed.
 */
async function finishInterrupted(outDir: string, layout: Pick<OutputLayout, 'specOf'>): Promise<void> {
  await removeDeadCandidates(outDir);
  for (const name of (await readdir(outDir)).sort()) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const folder = join(outDir, name);
    const journal = await readJournal(folder);
    if (journal) await applyJournal(folder, outDir, journal, layout);
    await rm(folder, { recursive: true, force: true });
  }
}

async function readJournal(staging: string): Promise<Journal | undefined> {
  const text = await readIfExists(join(staging, JOURNAL)).catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const journal = JSON.parse(text) as Partial<Journal>;
    const names = (list: unknown) =>
      Array.isArray(list) ? list.filter((n): n is string => typeof n === 'string' && isSafeName(n)) : [];
    return { rename: names(journal.rename), remove: names(journal.remove) };
  } catch {
    return undefined;
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
