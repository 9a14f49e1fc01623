import { opendir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { forEachLimited } from '../emit/for-each-limited.js';
import {
  checkArtifacts,
  type Drift,
  type OutputFile,
  type WriteResult,
  writeArtifacts,
} from '../emit/write-artifacts.js';
import { findSpecFiles } from '../spec/find-spec-files.js';
import type { Problem } from '../spec/problem.js';
import type { Spec } from '../spec/types.js';
import { OUTPUT_LAYOUT } from '../targets/output-files.js';
import { BuildWorkers, defaultWorkerCount } from './build-in-workers.js';
import {
  type BuildRecord,
  codeFingerprint,
  contentHash,
  RECORD_FROM,
  type RecordedSpec,
  readBuildRecord,
  stillAsSeen,
  type UnchangedSpec,
  unchangedSpec,
  writeBuildRecord,
} from './build-record.js';
import type { LoadedSpecFile } from './load-spec-file.js';

export interface BuildOptions {
  /** Spec files to build; default every spec in specsDir. */
  files?: string[];
  /** Default `specs`. */
  specsDir?: string;
  /** Default `dist`. */
  outDir?: string;
  /** Compare instead of writing: report how outDir differs from what the specs build to. */
  check?: boolean;
  /** Called as each spec is read and validated (progress output): how many of how many. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Stops the build (it then throws the signal's reason): before the output folder is changed,
   * nothing in it is; once files are being replaced that is finished first (see writeArtifacts).
   */
  signal?: AbortSignal;
  /** How long to wait for another build into the same folder; default 30 s. */
  lockWaitMs?: number;
  /**
   * Worker threads that read, validate and generate while the main thread writes; 0 does it all
   * on the main thread. Default: from 50 specs on, one per core beyond two (up to 4), else 0. The
   * output is the same byte for byte either way.
   */
  workers?: number;
}

export interface BuildResult {
  specs: Spec[];
  /** Errors and warnings of every spec; with any error nothing is written. */
  problems: Problem[];
  /** Every file the specs build to (none when there are errors). */
  files: string[];
  /** When writing (no errors, not check). */
  written?: WriteResult;
  /** When checking. */
  drift?: Drift[];
}

/** Validates every spec, then (only if all are valid) writes or checks the generated files. */
export async function buildSpecs(options: BuildOptions = {}): Promise<BuildResult> {
  const specsDir = options.specsDir ?? 'specs';
  const buildsAll = options.files === undefined || options.files.length === 0;
  const files = buildsAll ? await findSpecFiles(specsDir) : (options.files ?? []);
  let done = 0;
  const onLoaded = () => options.onProgress?.(++done, files.length);
  const unchanged = await unchangedSpecs(files, options, onLoaded);
  const toLoad = files.filter((file) => !unchanged.has(file));
  const workers = options.workers ?? defaultWorkerCount(toLoad.length);
  if (workers <= 0 || toLoad.length === 0) {
    const loaded = await loadOnMainThread(toLoad, onLoaded, options.signal);
    const specs = loaded.flatMap(({ result }) => (result.spec ? [result.spec] : []));
    return finishBuild(files, loaded, unchanged, generateEach(specs), buildsAll, options);
  }
  const pool = new BuildWorkers(workers);
  try {
    const loaded = await pool.load(toLoad, onLoaded, options.signal);
    return await finishBuild(files, loaded, unchanged, pool.generate(), buildsAll, options);
  } finally {
    await pool.close();
  }
}

/** What is known of the last build into the output folder, and which specs it leaves as they are. */
interface Unchanged extends Map<string, UnchangedSpec> {
  record?: BuildRecord;
}

/**
 * The specs of the build that the record of the last build into the same output folder names,
 * whose file holds the same bytes, and whose files the folder still holds as that build wrote
 * them: they need not be loaded or generated again. None when checking (a check compares every
 * file), for a build of few specs (RECORD_FROM), nor when a file is named twice (two specs of one
 * name, to be reported as such).
 */
async function unchangedSpecs(
  files: string[],
  options: BuildOptions,
  onLoaded: () => void,
): Promise<Unchanged> {
  const unchanged: Unchanged = new Map();
  const outDir = options.outDir ?? 'dist';
  if (options.check || files.length < RECORD_FROM || new Set(files).size !== files.length) return unchanged;
  // Into a new or emptied folder, every spec is built: the record is not even read.
  if (!(await hasEntries(outDir))) return unchanged;
  const record = await readBuildRecord(outDir);
  if (!record) return unchanged;
  unchanged.record = record;
  await forEachLimited(files, READ_CONCURRENCY, async (file) => {
    options.signal?.throwIfAborted();
    const entry = Object.hasOwn(record.specs, file) ? record.specs[file] : undefined;
    const spec = await unchangedSpec(file, entry, outDir, OUTPUT_LAYOUT.specOf);
    if (!spec) return;
    unchanged.set(file, spec);
    onLoaded();
  });
  return unchanged;
}

async function hasEntries(dir: string): Promise<boolean> {
  try {
    const entries = await opendir(dir);
    const first = await entries.read();
    await entries.close();
    return first !== null;
  } catch {
    return false;
  }
}

/**
 * The files of each spec, generated one spec at a time as the writer has room, so a large build
 * never holds them all. The generators are loaded only for a build that generates anything: a
 * rebuild that finds every spec unchanged does without them.
 */
async function* generateEach(specs: Spec[]): AsyncGenerator<OutputFile> {
  if (specs.length === 0) return;
  const { specArtifacts } = await import('./spec-artifacts.js');
  for (const spec of specs) yield* specArtifacts(spec);
}

async function loadOnMainThread(
  files: string[],
  onLoaded: () => void,
  signal: AbortSignal | undefined,
): Promise<LoadedSpecFile[]> {
  if (files.length === 0) return [];
  // Like the generators, the parser and validator are loaded only for a build that reads a spec.
  const { loadSpecFile } = await import('./load-spec-file.js');
  return Promise.all(
    files.map(async (file) => {
      signal?.throwIfAborted();
      const loaded = await loadSpecFile(file);
      onLoaded();
      return loaded;
    }),
  );
}

/** Specs whose files are read at once while looking for unchanged ones. */
const READ_CONCURRENCY = 32;

/**
 * Stops at any error; otherwise writes (or checks) the artifacts, which are made only then. The
 * results are merged back into the order of `files`: each a loaded file or a recorded spec.
 */
async function finishBuild(
  files: string[],
  loaded: LoadedSpecFile[],
  unchanged: Unchanged,
  generated: Iterable<OutputFile> | AsyncIterable<OutputFile>,
  buildsAll: boolean,
  options: BuildOptions,
): Promise<BuildResult> {
  const outDir = options.outDir ?? 'dist';
  options.signal?.throwIfAborted();
  const loadedByFile = new Map<string, LoadedSpecFile>();
  const inOrder: Array<{ spec?: Spec; problems: Problem[] }> = [];
  for (const file of files) {
    const entry = unchanged.get(file)?.entry;
    if (entry) {
      inOrder.push(entry);
      continue;
    }
    // The files not recorded were loaded in the order given.
    const each = loaded[loadedByFile.size] as LoadedSpecFile;
    loadedByFile.set(file, each);
    inOrder.push(each.result);
  }
  const specs = inOrder.flatMap((each) => (each.spec ? [each.spec] : []));
  const problems = inOrder.flatMap((each) => each.problems);
  if (problems.some((p) => p.severity === 'error')) return { specs, problems, files: [] };
  const firstOfId = new Map<string, Spec>();
  for (const spec of specs) if (!firstOfId.has(spec.id)) firstOfId.set(spec.id, spec);
  const duplicate = specs.find((spec) => firstOfId.get(spec.id) !== spec);
  if (duplicate) {
    const message = `two specs are named ${duplicate.id}; each spec's file name must be unique`;
    return {
      specs,
      problems: [
        ...problems,
        { ruleId: 'duplicate-spec-id', severity: 'error', message, file: duplicate.file },
      ],
      files: [],
    };
  }
  // Only a build of the whole specs folder knows which generated files no spec makes any more.
  const writeOptions = {
    layout: OUTPUT_LAYOUT,
    prune: buildsAll,
    signal: options.signal,
    lockWaitMs: options.lockWaitMs,
  };
  if (options.check) {
    const { drift, files: checked } = await checkArtifacts(generated, outDir, writeOptions);
    return { specs, problems, files: checked, drift };
  }
  // Unchanged specs whose files another build replaced since they were read are generated again,
  // from the spec the record keeps (which is what their file held), after the rest.
  const redo: Spec[] = [];
  const current = async () => {
    const kept: string[] = [];
    await forEachLimited(unchanged.values(), READ_CONCURRENCY, async (spec) => {
      if (await stillAsSeen(outDir, spec)) kept.push(...spec.seen.keys());
      else redo.push(spec.entry.spec);
    });
    return kept;
  };
  const hashes = new Map<string, string>();
  const artifacts = hashedAsWritten(
    (async function* () {
      yield* generated;
      yield* generateEach(redo);
    })(),
    hashes,
  );
  const written = await writeArtifacts(artifacts, outDir, { ...writeOptions, current });
  // A build that found every spec as recorded leaves the record as it is.
  const { record } = unchanged;
  const asRecorded =
    record && loaded.length === 0 && redo.length === 0 && Object.keys(record.specs).length === files.length;
  if (files.length >= RECORD_FROM && !asRecorded)
    await writeBuildRecord(nextRecord(outDir, record, buildsAll, files, loadedByFile, unchanged, hashes));
  return { specs, problems, files: [...written.written, ...written.unchanged].sort(), written };
}

/** The artifacts as UTF-8 bytes, each one's hash noted for the record as it goes to the writer. */
async function* hashedAsWritten(
  artifacts: AsyncIterable<OutputFile>,
  hashes: Map<string, string>,
): AsyncGenerator<OutputFile> {
  for await (const { fileName, content } of artifacts) {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    hashes.set(fileName, contentHash(bytes));
    yield { fileName, content: bytes };
  }
}

/**
 * The record of this build: every spec it built, with the hash of each file it wrote or found
 * current. A build of some files only keeps what the record said of the other specs.
 */
function nextRecord(
  outDir: string,
  previous: BuildRecord | undefined,
  buildsAll: boolean,
  files: string[],
  loadedByFile: Map<string, LoadedSpecFile>,
  unchanged: Unchanged,
  hashes: Map<string, string>,
): BuildRecord {
  const specs: Record<string, RecordedSpec> = buildsAll ? {} : { ...previous?.specs };
  const filesOf = new Map<string, Record<string, string>>();
  for (const [name, hash] of hashes) {
    const id = OUTPUT_LAYOUT.specOf(name);
    const own = filesOf.get(id) ?? {};
    own[name] = hash;
    filesOf.set(id, own);
  }
  for (const file of files) {
    const kept = unchanged.get(file)?.entry;
    const loaded = loadedByFile.get(file);
    if (kept)
      specs[file] = filesOf.has(kept.spec.id) ? { ...kept, files: filesOf.get(kept.spec.id) ?? {} } : kept;
    else if (loaded?.result.spec && loaded.source)
      specs[file] = {
        source: loaded.source,
        spec: loaded.result.spec,
        problems: loaded.result.problems,
        files: filesOf.get(loaded.result.spec.id) ?? {},
      };
  }
  return { outDir: resolve(outDir), code: codeFingerprint(), specs };
}
