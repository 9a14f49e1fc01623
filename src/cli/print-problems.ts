import { readFile } from 'node:fs/promises';
import { formatProblem, formatProblemsJson } from '../spec/format-problem.js';
import type { Problem } from '../spec/problem.js';

export type OutputFormat = 'text' | 'json';

async function sourceOf(file: string, cache: Map<string, string | undefined>): Promise<string | undefined> {
  if (!cache.has(file)) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    // A code frame of a huge or binary file helps nobody.
    cache.set(
      file,
      text !== undefined && text.length < 1_048_576 && !text.includes('\u0000') ? text : undefined,
    );
  }
  return cache.get(file);
}

/** Problems on stderr, each with its code frame; or all of them as JSON on stdout. */
export async function printProblems(problems: Problem[], format: OutputFormat): Promise<void> {
  if (format === 'json') return;
  const cache = new Map<string, string | undefined>();
  for (const problem of problems) {
    // Only a problem with a position has a code frame; the others (a FIFO, a missing file, a folder)
    // are not read again, since reading a FIFO would wait forever.
    const source = problem.position ? await sourceOf(problem.file, cache) : undefined;
    process.stderr.write(`${formatProblem(problem, source)}\n`);
  }
}

/** `{ errors, warnings, problems }`, to spread into a command's JSON output. */
export function problemsJson(problems: Problem[]): Record<string, unknown> {
  return JSON.parse(formatProblemsJson(problems));
}
