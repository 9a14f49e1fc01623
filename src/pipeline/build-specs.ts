import {
  checkArtifacts,
  type Drift,
  type OutputFile,
  type WriteResult,
  writeArtifacts,
} from '../emit/write-artifacts.js';
import { findSpecFiles } from '../spec/find-spec-files.js';
import { loadSpecs } from '../spec/load-specs.js';
import type { Problem } from '../spec/problem.js';
import type { Spec } from '../spec/types.js';
import { OUTPUT_LAYOUT } from '../targets/output-files.js';
import { BuildWorkers, defaultWorkerCount } from './build-in-workers.js';
import { specArtifacts } from './spec-artifacts.js';

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
   * on the main thread. Default: one per core (up to 4) from 50 specs on, else 0. The output is
   * the same byte for byte either way.
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
  const workers = options.workers ?? defaultWorkerCount(files.length);
  if (workers <= 0 || files.length === 0) {
    const { specs, problems } = await loadSpecs(files, options.onProgress, options.signal);
    // Generated one spec at a time as the writer has room, so a large build never holds them all.
    const artifacts = (function* () {
      for (const spec of specs) yield* specArtifacts(spec);
    })();
    return finishBuild(specs, problems, artifacts, buildsAll, options);
  }
  const pool = new BuildWorkers(workers);
  try {
    const { specs, problems } = await pool.load(files, options.onProgress, options.signal);
    return await finishBuild(specs, problems, pool.generate(), buildsAll, options);
  } finally {
    await pool.close();
  }
}

/** Stops at any error; otherwise writes (or checks) the artifacts, which are made only then. */
async function finishBuild(
  specs: Spec[],
  problems: Problem[],
  artifacts: Iterable<OutputFile> | AsyncIterable<OutputFile>,
  buildsAll: boolean,
  options: BuildOptions,
): Promise<BuildResult> {
  const outDir = options.outDir ?? 'dist';
  options.signal?.throwIfAborted();
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
    const { drift, files: checked } = await checkArtifacts(artifacts, outDir, writeOptions);
    return { specs, problems, files: checked, drift };
  }
  const written = await writeArtifacts(artifacts, outDir, writeOptions);
  return { specs, problems, files: [...written.written, ...written.unchanged].sort(), written };
}
