import path from 'node:path';
import type { Problem } from './problem.js';

// The id names the output files and seeds the stable UUIDs, so it must be the same on every file
// system and safe in a file name and a URL: case-insensitive file systems would merge `Sap` and `sap`.
const SPEC_ID = /^[a-z0-9][a-z0-9-]*$/;

export interface SpecIdResult {
  /** The file name without `.yaml`/`.yml`, even when it is not a valid id. */
  id: string;
  /** Present when `id` is not a valid spec id. */
  problem?: Problem;
}

export function specIdFromFile(file: string): SpecIdResult {
  const id = path.basename(file).replace(/\.ya?ml$/i, '');
  if (SPEC_ID.test(id)) return { id };
  const suggestion = id
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return {
    id,
    problem: {
      ruleId: 'spec-id',
      severity: 'error',
      message: `spec file name "${id}" is not a valid spec id: it names the output files, so it must be lowercase letters, digits and -, starting with a letter or digit`,
      ...(suggestion ? { hint: `rename the file to ${suggestion}.yaml` } : {}),
      file,
    },
  };
}
