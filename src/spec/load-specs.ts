import { loadSpec } from './load-spec.js';
import type { Problem } from './problem.js';
import type { Spec } from './types.js';

/** Loads and validates many specs; every stage that starts from files (build, validate, verify, serve) reads them here. */
export async function loadSpecs(
  files: string[],
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<{ specs: Spec[]; problems: Problem[] }> {
  let done = 0;
  const results = await Promise.all(
    files.map(async (file) => {
      signal?.throwIfAborted();
      const result = await loadSpec(file);
      onProgress?.(++done, files.length);
      return result;
    }),
  );
  return {
    specs: results.flatMap((r) => (r.spec ? [r.spec] : [])),
    problems: results.flatMap((r) => r.problems),
  };
}
