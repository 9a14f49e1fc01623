// Regenerates, from schema/spec.schema.json (what editors and validation use):
//   src/spec/spec-input.generated.ts       the TypeScript type of a spec as written
//   src/spec/spec-validator.generated.ts   the schema compiled to a standalone validator
// so neither can drift from the schema, and no run of tokenman pays for compiling the schema.
// test/spec/generated-from-schema.test.ts fails when a committed file is not what this writes.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';
import { compile } from 'json-schema-to-typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const schemaFile = `${root}schema/spec.schema.json`;

async function readSchema() {
  return JSON.parse(await readFile(schemaFile, 'utf8'));
}

async function renderSpecTypes() {
  return compile(await readSchema(), 'TokenmanSpec', {
    bannerComment:
      '/* Generated from schema/spec.schema.json by scripts/generate-from-schema.mjs. Do not edit. */',
    additionalProperties: false,
    unreachableDefinitions: false,
    style: { singleQuote: true, printWidth: 110 },
  });
}

async function renderValidator() {
  // The same options src/spec/check-schema.ts relies on: all errors, and verbose so each error
  // carries its parentSchema (the valid keys for "did you mean"); strict off for the tsType keyword.
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, code: { source: true, esm: true } });
  const code = (standalone.default ?? standalone)(ajv, ajv.compile(await readSchema()));
  // Ajv's ESM output still require()s its small runtime helpers.
  return [
    '// @ts-nocheck',
    '/* Generated from schema/spec.schema.json by scripts/generate-from-schema.mjs. Do not edit. */',
    "import { createRequire } from 'node:module';",
    'const require = createRequire(import.meta.url);',
    code.replace(/^"use strict";/, ''),
    '',
  ].join('\n');
}

export const OUTPUTS = {
  'src/spec/spec-input.generated.ts': renderSpecTypes,
  'src/spec/spec-validator.generated.ts': renderValidator,
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const only = process.argv.find((arg) => arg.startsWith('--stdout='))?.slice('--stdout='.length);
  for (const [file, render] of Object.entries(OUTPUTS)) {
    // --stdout=FILE lets the drift test compare without writing.
    if (only === undefined) await writeFile(`${root}${file}`, await render());
    else if (only === file) process.stdout.write(await render());
  }
}
