import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/spec/format-problem.js';
import { loadSpec } from '../../src/spec/load-spec.js';
import type { Problem } from '../../src/spec/problem.js';
import { atLeastOne } from '../support/required.js';

// Golden corpus of specs that build, with a warning: one risk per file, its formatted problems in
// <case>.stderr.txt beside it. `npx vitest run test/spec -u` rewrites them; review their diff.
const dir = fileURLToPath(new URL('../fixtures/warnings/', import.meta.url));
const shownDir = 'test/fixtures/warnings';
const cases = atLeastOne(
  (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort(),
  'specs with warnings in test/fixtures/warnings',
);

describe('specs with a warning', () => {
  it.each(cases)('%s', async (name) => {
    const file = path.join(dir, name);
    // By its path from the repository, so the paths of the API documents it names are the same
    // on every machine.
    const shown = `${shownDir}/${name}`;
    const result = await loadSpec(shown);
    const source = await readFile(file, 'utf8');
    // A warning never stops a build: the spec is there, and no problem is an error.
    expect(result.spec).toBeDefined();
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.position).toBeDefined();
    // A problem of an API document the spec names is shown with that document's lines.
    const frame = (p: Problem) => formatProblem(p, p.file === shown ? source : readFileSync(p.file, 'utf8'));
    const text = `${result.problems.map(frame).join('\n')}\n`;
    await expect(text).toMatchFileSnapshot(`../fixtures/warnings/${name.replace(/\.ya?ml$/, '')}.stderr.txt`);
  });
});
