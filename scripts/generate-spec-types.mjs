// Regenerates src/spec/spec-input.generated.ts from schema/spec.schema.json, so the spec's JSON Schema
// (what editors and validation use) and its TypeScript type cannot drift. test/spec/spec-types-drift.test.ts
// fails when the committed file is not what this script writes.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function renderSpecTypes() {
  const schema = JSON.parse(await readFile(`${root}schema/spec.schema.json`, 'utf8'));
  return compile(schema, 'TokenmanSpec', {
    bannerComment:
      '/* Generated from schema/spec.schema.json by scripts/generate-spec-types.mjs. Do not edit. */',
    additionalProperties: false,
    unreachableDefinitions: false,
    style: { singleQuote: true, printWidth: 110 },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const types = await renderSpecTypes();
  // --stdout lets the drift test compare without writing.
  if (process.argv.includes('--stdout')) process.stdout.write(types);
  else await writeFile(`${root}src/spec/spec-input.generated.ts`, types);
}
