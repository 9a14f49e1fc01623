import { readdirSync } from 'node:fs';
import { loadSpec } from '../../src/spec/load-spec.js';
import type { Spec } from '../../src/spec/types.js';
import { atLeastOne } from './required.js';

export const SPECS_DIR = new URL('../../specs/', import.meta.url);
export const DIST_DIR = new URL('../../dist/', import.meta.url);

/** The shipped seed specs, by file name. */
export const seedSpecFiles = atLeastOne(
  readdirSync(SPECS_DIR)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => new URL(name, SPECS_DIR).pathname),
  'seed specs (*.yaml) in specs/',
);

export async function loadValidSpec(file: string): Promise<Spec> {
  const { spec, problems } = await loadSpec(file);
  if (!spec) throw new Error(`${file} is invalid: ${problems.map((p) => p.message).join('; ')}`);
  return spec;
}
