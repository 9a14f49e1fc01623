import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/spec/format-problem.js';
import { loadSpec, MAX_SPEC_BYTES, type SpecResult } from '../../src/spec/load-spec.js';
import type { Problem } from '../../src/spec/problem.js';
import { atLeastOne } from '../support/required.js';

// Golden corpus: one mistake per file, its formatted problems in <case>.stderr.txt beside it.
// `npx vitest run test/spec -u` rewrites the golden files; review their diff like code.
const dir = fileURLToPath(new URL('../fixtures/invalid/', import.meta.url));
const shownDir = 'test/fixtures/invalid';
const cases = atLeastOne(
  (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort(),
  'invalid specs in test/fixtures/invalid',
);

// Problems about the whole file rather than a place in it.
const WHOLE_FILE_RULES = new Set(['file-too-large', 'unreadable', 'spec-id']);

/**
 * The formatted problems as the CLI would print them, with a stable file name. A problem of another
 * file (an API document the spec names) is shown with that file's lines.
 */
function render(result: SpecResult, shownFile: string, source?: string, specFile?: string): string {
  const frame = (p: Problem) =>
    specFile !== undefined && p.file !== specFile
      ? formatProblem(p, readFileSync(p.file, 'utf8'))
      : formatProblem({ ...p, file: shownFile }, source);
  return `${result.problems.map(frame).join('\n')}\n`;
}

function expectOneLocatedError(result: SpecResult, text: string): Problem {
  const errors = result.problems.filter((p) => p.severity === 'error');
  expect(errors).toHaveLength(1);
  expect(result.spec).toBeUndefined();
  const [error] = errors as [Problem];
  if (!WHOLE_FILE_RULES.has(error.ruleId)) expect(error.position).toBeDefined();
  expect(error.message).not.toMatch(/\n/);
  expect(text).not.toContain('    at ');
  return error;
}

describe('invalid specs', () => {
  it('has a corpus of at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('%s', async (name) => {
    const file = path.join(dir, name);
    // Loaded by its path from the repository, as the CLI would be, so the paths of the API
    // documents a spec names read the same on every machine.
    const shown = `${shownDir}/${name}`;
    const result = await loadSpec(shown);
    const source = new TextDecoder().decode(await readFile(file));
    const text = render(result, shown, source, shown);
    expectOneLocatedError(result, text);
    await expect(text).toMatchFileSnapshot(`../fixtures/invalid/${name.replace(/\.ya?ml$/, '')}.stderr.txt`);
  });

  describe('files that cannot be read', () => {
    let temp: string;
    beforeAll(async () => {
      temp = await mkdtemp(path.join(tmpdir(), 'tokenman-spec-'));
    });
    afterAll(async () => {
      await rm(temp, { recursive: true, force: true });
    });

    // Generated rather than committed: 2 MiB of a plausible spec repeated.
    it('too-large', async () => {
      const file = path.join(temp, 'too-large.yaml');
      const line = 'description: padding\n';
      await writeFile(file, line.repeat(Math.ceil((2 * MAX_SPEC_BYTES) / line.length)));
      const result = await loadSpec(file);
      const text = render(result, `${shownDir}/too-large.yaml`);
      expect(expectOneLocatedError(result, text).ruleId).toBe('file-too-large');
      await expect(text).toMatchFileSnapshot('../fixtures/invalid/too-large.stderr.txt');
    });

    it('a missing file', async () => {
      const result = await loadSpec(path.join(temp, 'missing.yaml'));
      const text = render(result, 'missing.yaml');
      expect(expectOneLocatedError(result, text).ruleId).toBe('unreadable');
      expect(text).toBe('missing.yaml: error: cannot read the spec: no such file\n');
    });

    it('a device that never ends', async () => {
      expect(existsSync('/dev/zero'), 'this test reads /dev/zero, which Linux and macOS have').toBe(true);
      const result = await loadSpec('/dev/zero');
      expect(expectOneLocatedError(result, render(result, 'zero')).message).toBe(
        'cannot read the spec: it is a device, not a file',
      );
    });

    it('a directory', async () => {
      const result = await loadSpec(temp);
      expect(expectOneLocatedError(result, render(result, 'dir')).message).toBe(
        'cannot read the spec: it is a directory',
      );
    });
  });
});
