import { type BuildResult, buildSpecs } from '../../pipeline/build-specs.js';
import { countErrors } from '../../spec/problem.js';
import { listenForInterrupt } from '../interrupt.js';
import { type OutputFormat, printProblems, problemsJson } from '../print-problems.js';
import { UsageError } from '../usage-error.js';

/** Builds of fewer specs finish before a progress line could be read. */
const PROGRESS_FROM = 20;

export interface BuildFlags {
  out: string;
  specs: string;
  check?: boolean;
  watch?: boolean;
  format: OutputFormat;
  quiet?: boolean;
}

export async function buildCommand(files: string[], flags: BuildFlags): Promise<number> {
  if (flags.watch) return watchCommand(flags);
  // On a terminal, a long build says how far it is; the line is cleared before anything else prints.
  const progress = flags.format === 'text' && !flags.quiet && process.stderr.isTTY === true;
  let shown = false;
  // Ctrl+C or a CI timeout stops the build at a point where the output folder is whole: as it was,
  // or (when the signal comes while files are being replaced) fully written.
  const interrupt = listenForInterrupt();
  let result: BuildResult;
  try {
    result = await buildSpecs({
      files,
      specsDir: flags.specs,
      outDir: flags.out,
      check: flags.check === true,
      signal: interrupt.signal,
      ...(progress
        ? {
            onProgress: (done: number, total: number) => {
              if (total < PROGRESS_FROM) return;
              process.stderr.write(`\rreading specs ${done}/${total}`);
              shown = true;
            },
          }
        : {}),
    });
  } catch (error) {
    if (!interrupt.signal.aborted) throw error;
    if (shown) process.stderr.write('\r\x1b[K');
    const what = flags.check ? 'nothing was checked' : `${flags.out}/ was left as it was`;
    process.stderr.write(`tokenman: stopped by ${interrupt.received()}; ${what}\n`);
    return interrupt.exitCode() ?? 1;
  } finally {
    interrupt.dispose();
  }
  if (shown) process.stderr.write('\r\x1b[K');
  const stopped = interrupt.received();
  if (stopped) {
    // The signal came while files were being replaced: that was finished, so the folder is whole.
    process.stderr.write(`tokenman: stopped by ${stopped} after ${flags.out}/ was written in full\n`);
    return interrupt.exitCode() ?? 1;
  }
  const errors = countErrors(result.problems);
  const drift = result.drift ?? [];
  const code = errors || drift.length ? 1 : 0;
  if (flags.format === 'json') {
    const json = {
      ok: code === 0,
      ...problemsJson(result.problems),
      ...(result.written ? { written: result.written } : {}),
      ...(result.drift ? { drift } : {}),
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return code;
  }
  await printProblems(result.problems, 'text');
  if (errors) {
    process.stderr.write(`${errors} error(s); nothing was written to ${flags.out}/\n`);
    return 1;
  }
  if (flags.check) {
    for (const d of drift) process.stderr.write(`${flags.out}/${d.fileName}: ${d.kind}\n`);
    if (drift.length) {
      process.stderr.write(
        `${flags.out}/ is not what the specs build to: run tokenman build and commit the result\n`,
      );
    } else if (!flags.quiet)
      process.stdout.write(`${flags.out}/ is up to date (${result.files.length} files)\n`);
    return code;
  }
  const written = result.written;
  if (written && !flags.quiet) {
    for (const name of written.written) process.stdout.write(`wrote   ${flags.out}/${name}\n`);
    for (const name of written.removed) process.stdout.write(`removed ${flags.out}/${name}\n`);
    process.stdout.write(
      `${result.specs.length} spec(s): ${written.written.length} written, ${written.unchanged.length} unchanged, ${written.removed.length} removed\n`,
    );
  }
  return 0;
}

/** Rebuilds each spec as it is saved and says what changed, until interrupted. */
async function watchCommand(flags: BuildFlags): Promise<number> {
  if (flags.check) throw new UsageError('--watch and --check exclude each other');
  const { watchSpecs } = await import('../../pipeline/watch-specs.js');
  const watcher = watchSpecs({ specsDir: flags.specs, outDir: flags.out }, ({ changed, result }) => {
    const time = new Date().toTimeString().slice(0, 8);
    const what = changed.length ? changed.join(', ') : `${flags.specs}/`;
    void printProblems(result.problems, 'text');
    const errors = countErrors(result.problems);
    const written = result.written;
    if (errors)
      process.stderr.write(`[${time}] ${what}: ${errors} error(s), nothing written; still watching\n`);
    else if (written) {
      const files = [
        ...written.written.map((n) => `wrote ${flags.out}/${n}`),
        ...written.removed.map((n) => `removed ${flags.out}/${n}`),
      ];
      process.stdout.write(`[${time}] ${what}: ${files.length ? files.join(', ') : 'unchanged'}\n`);
    }
  });
  process.stdout.write(`watching ${flags.specs}/ (Ctrl+C stops)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  watcher.close();
  return 0;
}
