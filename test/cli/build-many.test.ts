import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { WORKERS_FROM } from '../../src/pipeline/build-in-workers.js';
import { ROOT, runCli } from '../support/run-cli.js';
import { snapshotTree } from '../support/snapshot-dir.js';

// A build of this many specs may read, validate and generate in worker threads (how many depends
// on the cores; the compiled library is also run with two); batches of fewer than WORKERS_FROM
// stay on the main thread. All must give the same files and the same problems.
const COUNT = 60;
const BATCH = 30;

let work: string;
let names: string[];

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'tokenman-build-many-'));
  mkdirSync(join(work, 'specs'));
  // The API documents the seed specs name, where their copies look for them.
  cpSync(join(ROOT, 'specs', 'apis'), join(work, 'specs', 'apis'), { recursive: true });
  const seeds = readdirSync(join(ROOT, 'specs'))
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => ({ id: name.slice(0, -5), text: readFileSync(join(ROOT, 'specs', name), 'utf8') }));
  names = [];
  for (let i = 0; i < COUNT; i += 1) {
    const seed = seeds[i % seeds.length];
    if (!seed) throw new Error('no seed specs');
    const number = String(i).padStart(3, '0');
    // Each copy its own file name (its id) and collection name.
    const text = seed.text.replace(/^name: (["']?)(.*?)\1[ \t]*$/m, `name: $1$2 ${number}$1`);
    const name = `${seed.id}-${number}.yaml`;
    writeFileSync(join(work, 'specs', name), text);
    names.push(join('specs', name));
  }
  // In the order a build of the folder takes them, so problems are listed alike.
  names.sort();
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

/** Builds the specs as batches too small for worker threads, into `out`. */
async function buildInBatches(out: string, extra: string[] = []) {
  const runs = [];
  for (let first = 0; first < names.length; first += BATCH)
    runs.push(
      await runCli(['build', ...names.slice(first, first + BATCH), '--out', out, ...extra], { cwd: work }),
    );
  return runs;
}

describe(`tokenman build of ${COUNT} specs (worker threads)`, () => {
  test('writes byte for byte what batches built on the main thread write, listing files in order', async () => {
    expect(COUNT).toBeGreaterThanOrEqual(WORKERS_FROM);
    expect(BATCH).toBeLessThan(WORKERS_FROM);
    const whole = await runCli(['build', '--out', 'whole'], { cwd: work });
    expect(whole.stderr).toBe('');
    expect(whole.code).toBe(0);
    const batches = await buildInBatches('batches', ['-q']);
    expect(batches.map((run) => run.code)).toEqual([0, 0]);

    // Two worker threads, whatever the cores: from the compiled library, as the CLI runs it.
    const compiled = (await import(new URL('../../build/index.js', import.meta.url).href)) as {
      buildSpecs: typeof import('../../src/pipeline/build-specs.js').buildSpecs;
    };
    const threads = await compiled.buildSpecs({
      specsDir: join(work, 'specs'),
      outDir: join(work, 'threads'),
      workers: 2,
    });
    expect(threads.problems).toEqual([]);

    const built = snapshotTree(join(work, 'whole'));
    expect(Object.keys(built).length).toBeGreaterThanOrEqual(3 * COUNT);
    expect(built).toEqual(snapshotTree(join(work, 'batches')));
    expect(built).toEqual(snapshotTree(join(work, 'threads')));
    const wrote = whole.stdout.split('\n').filter((line) => line.startsWith('wrote'));
    expect(wrote).toEqual(Object.keys(built).map((name) => `wrote   whole/${name}`));

    // A second build finds every file current, and --check agrees.
    const again = await runCli(['build', '--out', 'whole'], { cwd: work });
    expect(again.stdout).toContain(`${COUNT} spec(s): 0 written, ${Object.keys(built).length} unchanged`);
    expect((await runCli(['build', '--out', 'whole', '--check'], { cwd: work })).code).toBe(0);
  });

  test('reports the same problems at the same positions as batches do, and writes nothing', async () => {
    // Three copies spread over the batches, whichever seeds there are.
    const broken = [7, 31, 52].map((index) => names[index] as string);
    const [unknownKey, badYaml, badTemplate] = broken.map((name) => join(work, name)) as [
      string,
      string,
      string,
    ];
    writeFileSync(unknownKey, `${readFileSync(unknownKey, 'utf8')}colour: red\n`);
    writeFileSync(badYaml, readFileSync(badYaml, 'utf8').replace(/^name: /m, 'name: [unclosed '));
    writeFileSync(
      badTemplate,
      readFileSync(badTemplate, 'utf8').replace('url: "{{', 'url: "{{NoSuchVariable}}{{'),
    );

    const whole = await runCli(['build', '--out', 'whole', '--format', 'json'], { cwd: work });
    expect(whole.code).toBe(1);
    const batches = await buildInBatches('batches', ['--format', 'json']);
    const fromBatches = batches.flatMap((run) => JSON.parse(run.stdout).problems);
    const fromWhole = JSON.parse(whole.stdout).problems;
    expect(fromWhole).toEqual(fromBatches);
    // Every broken spec is named, with a line and column.
    for (const name of broken) {
      const problem = fromWhole.find((p: { file: string }) => p.file === name);
      expect(problem, name).toBeDefined();
      expect(problem.line, name).toBeGreaterThan(0);
      expect(problem.col, name).toBeGreaterThan(0);
    }
    expect(readdirSync(work)).not.toContain('whole');
  });
});
