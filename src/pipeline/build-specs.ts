import { checkArtifacts, type Drift, type WriteResult, writeArtifacts } from '../emit/write-artifacts.js';
import { findSpecFiles } from '../spec/find-spec-files.js';
import { loadSpecs } from '../spec/load-specs.js';
import type { Problem } from '../spec/problem.js';
import type { Spec } from '../spec/types.js';
import { generateArtifacts } from '../targets/generate-artifacts.js';

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
  const outDir = options.outDir ?? 'dist';
  const buildsAll = options.files === undefined || options.files.length === 0;
  const files = buildsAll ? await findSpecFiles(specsDir) : (options.files ?? []);
  const { specs, problems } = await loadSpecs(files, options.onProgress, options.signal);
  options.signal?.throwIfAborted();
  if (problems.some((p) => p.severity === 'error')) return { specs, problems, files: [] };
  const duplicate = specs.find((spec, i) => specs.findIndex((other) => other.id === spec.id) !== i);
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
  // Generated one spec at a time as the writer has room, so a large build never holds them all.
  const artifacts = (function* () {
    for (const spec of specs) yield* generateArtifacts(spec);
  })();
  // Only a build of the whole specs folder knows which generated files no spec makes any more.
  const writeOptions = { prune: buildsAll, signal: options.signal, lockWaitMs: options.lockWaitMs };
  if (options.check) {
    const { drift, files: checked } = await checkArtifacts(artifacts, outDir, writeOptions);
    return { specs, problems, files: checked, drift };
  }
  const written = await writeArtifacts(artifacts, outDir, writeOptions);
  return { specs, problems, files: [...written.written, ...written.unchanged].sort(), written };
}
