import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const script = new URL('../../scripts/generate-from-schema.mjs', import.meta.url).pathname;

test.each(['src/spec/spec-input.generated.ts', 'src/spec/spec-validator.generated.ts'])(
  '%s is what schema/spec.schema.json generates (npm run generate:schema)',
  async (file) => {
    const { stdout } = await promisify(execFile)(process.execPath, [script, `--stdout=${file}`]);
    expect(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')).toBe(stdout);
  },
);
