import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

test("the spec's TypeScript type is what its JSON Schema generates (npm run generate:spec-types)", async () => {
  const script = new URL('../../scripts/generate-spec-types.mjs', import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(process.execPath, [script, '--stdout']);
  const committed = readFileSync(new URL('../../src/spec/spec-input.generated.ts', import.meta.url), 'utf8');
  expect(committed).toBe(stdout);
});
