import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Artifact, isGeneratedFileName } from '../targets/generate-artifacts.js';
import { forEachLimited } from './for-each-limited.js';
import { withOutputLock } from './output-lock.js';

const IO_CONCURRENCY = 32;

export interface WriteOptions {
  /** Remove generated files in the folder that these artifacts do not include (a deleted spec). */
  prune: boolean;
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

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function generatedFilesIn(outDir: string): Promise<string[]> {
  const names = await readdir(outDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const folder = new Set(names);
  return names.filter((name) => isGeneratedFileName(name, folder)).sort();
}

async function driftOf(artifact: Artifact, outDir: string): Promise<DriftKind | undefined> {
  const current = await readIfExists(join(outDir, artifact.fileName));
  if (current === undefined) return 'missing';
  return current === artifact.content ? undefined : 'changed';
}

async function staleFiles(outDir: string, expected: Set<string>): Promise<string[]> {
  return (await generatedFilesIn(outDir)).filter((name) => !expected.has(name));
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * How the folder differs from what the artifacts say it should hold. The artifacts may be a
 * generator: each is made, compared and dropped in turn, so no build holds them all.
 */
export async function checkArtifacts(
  artifacts: Iterable<Artifact>,
  outDir: string,
  options: WriteOptions,
): Promise<CheckResult> {
  const drift: Drift[] = [];
  const files = new Set<string>();
  await forEachLimited(artifacts, IO_CONCURRENCY, async (artifact) => {
    files.add(artifact.fileName);
    const kind = await driftOf(artifact, outDir);
    if (kind) drift.push({ fileName: artifact.fileName, kind });
  });
  if (options.prune)
    for (const name of await staleFiles(outDir, files)) drift.push({ fileName: name, kind: 'stale' });
  return { drift: drift.sort((a, b) => byName(a.fileName, b.fileName)), files: [...files].sort(byName) };
}

/**
 * Writes the artifacts into outDir so that a reader never sees a half-written file: every changed file
 * is first written in full to a temporary folder inside outDir (same file system), and only when all
 * are written is each renamed over its old version. A failure before that leaves outDir as it was.
 * The artifacts may be a generator, made one at a time as there is room to write them.
 */
export async function writeArtifacts(
  artifacts: Iterable<Artifact>,
  outDir: string,
  options: WriteOptions,
): Promise<WriteResult> {
  await mkdir(outDir, { recursive: true });
  return withOutputLock(outDir, async () => {
    const result: WriteResult = { written: [], unchanged: [], removed: [] };
    const files = new Set<string>();
    const staging = await mkdtemp(join(outDir, '.tokenman-tmp-'));
    try {
      await forEachLimited(artifacts, IO_CONCURRENCY, async (artifact) => {
        files.add(artifact.fileName);
        if (!(await driftOf(artifact, outDir))) return result.unchanged.push(artifact.fileName);
        await writeFile(join(staging, artifact.fileName), artifact.content);
        result.written.push(artifact.fileName);
      });
      // Only once every file is written in full does any replace its old version.
      await forEachLimited(result.written, IO_CONCURRENCY, (name) =>
        rename(join(staging, name), join(outDir, name)),
      );
      if (options.prune) {
        for (const name of await staleFiles(outDir, files)) {
          await rm(join(outDir, name), { force: true });
          result.removed.push(name);
        }
      }
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    for (const list of Object.values(result)) list.sort(byName);
    return result;
  });
}
