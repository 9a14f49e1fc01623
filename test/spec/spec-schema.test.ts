import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PATTERN_WORDS, specSchema } from '../../src/spec/check-schema.js';
import { loadSpec } from '../../src/spec/load-spec.js';
import { atLeastOne } from '../support/required.js';

const specsDir = new URL('../../specs/', import.meta.url);
const specFiles = atLeastOne(
  existsSync(specsDir) ? (await readdir(specsDir)).filter((f) => /\.ya?ml$/.test(f)).sort() : [],
  'spec files in specs/',
);
const validFixtures = ['minimal.yaml', 'full.yaml'];

function patternsOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(patternsOf);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'pattern' && typeof value === 'string' ? [value] : patternsOf(value),
  );
}

describe('spec.schema.json', () => {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(specSchema());

  // Each pattern is explained in words in messages; a new one in the schema needs its words too.
  it('has words for every pattern', () => {
    for (const pattern of patternsOf(specSchema())) expect(PATTERN_WORDS).toHaveProperty([pattern]);
  });

  it.each(validFixtures)('accepts test/fixtures/valid/%s', async (name) => {
    const value: unknown = parse(
      await readFile(new URL(`../fixtures/valid/${name}`, import.meta.url), 'utf8'),
    );
    expect(validate(value) ? [] : validate.errors).toEqual([]);
  });

  it.each(specFiles)('accepts specs/%s', async (name) => {
    const value: unknown = parse(await readFile(new URL(name, specsDir), 'utf8'));
    expect(validate(value) ? [] : validate.errors).toEqual([]);
  });

  it.each(specFiles)('loads specs/%s without problems', async (name) => {
    const result = await loadSpec(new URL(name, specsDir).pathname);
    expect(result.problems).toEqual([]);
  });
});
