import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Artifact, isGeneratedFileName } from '../generate/generate-artifacts.js';
import { mapLimited } from './map-limited.js';
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
  return names.filter(isGeneratedFileName).sort();
}

/** How the folder differs from what the artifacts say it should hold. */
export async function checkArtifacts(
  artifacts: Artifact[],
  outDir: string,
  options: WriteOptions,
): Promise<Drift[]> {
  const drift: Drift[] = [];
  for (const artifact of artifacts) {
    const current = await readIfExists(join(outDir, artifact.fileName));
    if (current === undefined) drift.push({ fileName: artifact.fileName, kind: 'missing' });
    else if (current !== artifact.content) drift.push({ fileName: artifact.fileName, kind: 'changed' });
  }
  if (options.prune) {
    const expected = new Set(artifacts.map((a) => a.fileName));
    for (const name of await generatedFilesIn(outDir)) {
      if (!expected.has(name)) drift.push({ fileName: name, kind: 'stale' });
    }
  }
  return drift;
}

/**
 * Writes the artifacts into outDir so that a reader never sees a half-written file: every changed file
 * is first written in full to a temporary folder inside outDir (same file system), and only when all
 * are written is each renamed over its old version. A failure before that leaves outDir as it was.
 */
export async function writeArtifacts(
  artifacts: Artifact[],
  outDir: string,
  options: WriteOptions,
): Promise<WriteResult> {
  await mkdir(outDir, { recursive: true });
  return withOutputLock(outDir, async () => {
    const drift = await checkArtifacts(artifacts, outDir, options);
    const changed = new Set(drift.filter((d) => d.kind !== 'stale').map((d) => d.fileName));
    const result: WriteResult = { written: [], unchanged: [], removed: [] };
    const staging = await mkdtemp(join(outDir, '.tokenman-tmp-'));
    try {
      const toWrite = artifacts.filter((a) => changed.has(a.fileName));
      await mapLimited(toWrite, IO_CONCURRENCY, (a) => writeFile(join(staging, a.fileName), a.content));
      // Only once every file is written in full does any replace its old version.
      await mapLimited(toWrite, IO_CONCURRENCY, (a) =>
        rename(join(staging, a.fileName), join(outDir, a.fileName)),
      );
      result.written.push(...toWrite.map((a) => a.fileName));
      result.unchanged.push(...artifacts.filter((a) => !changed.has(a.fileName)).map((a) => a.fileName));
      for (const stale of drift.filter((d) => d.kind === 'stale')) {
        await rm(join(outDir, stale.fileName), { force: true });
        result.removed.push(stale.fileName);
      }
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    return result;
  });
}
