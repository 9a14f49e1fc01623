import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OUTPUT_LAYOUT } from '../../src/targets/output-files.js';
import { ROOT, runCli } from '../support/run-cli.js';
import { snapshotTree } from '../support/snapshot-dir.js';

// Real builds of many specs, stopped part-way by a signal as Ctrl+C, a CI timeout or the kernel
// would. What a user checks afterwards: no lock or staging left behind, no spec whose files come
// from two different builds, `build --check` telling the truth, and the next build working at once.

const BIN = join(ROOT, 'bin', 'tokenman.js');
// Enough for a build to be stopped while it stages and while it renames; the copies of specs that
// name an API document generate dozens of files each, so a hundred make a build of seconds.
const SPECS = 100;
/** Well under the 30 s a build waits for a lock that a running build holds. */
const PROMPT_MS = 20_000;

const work = mkdtempSync(join(tmpdir(), 'tokenman-interrupted-'));
let versionA: Map<string, string>;
let versionB: Map<string, string>;

function snapshot(dir: string): Map<string, string> {
  return new Map(Object.entries(snapshotTree(dir)));
}

beforeAll(async () => {
  const fixtures = (await import(new URL('../../bench/fixtures.mjs', import.meta.url).href)) as {
    writeSpecCopies(seedDir: string, dir: string, count: number): Promise<unknown>;
  };
  await fixtures.writeSpecCopies(join(ROOT, 'specs'), join(work, 'specs-a'), SPECS);
  // Version B renames every API, so every collection, environment and doc of every spec changes.
  cpSync(join(work, 'specs-a'), join(work, 'specs-b'), { recursive: true });
  for (const name of readdirSync(join(work, 'specs-b')).filter((file) => file.endsWith('.yaml'))) {
    const file = join(work, 'specs-b', name);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        /^name: (["']?)(.*?)\1[ \t]*$/m,
        (_, q, n) => `name: ${q}${n} B${q}`,
      ),
    );
  }
  for (const v of ['a', 'b']) {
    const built = await runCli(['build', '-q', '--specs', `specs-${v}`, '--out', `dist-${v}`], { cwd: work });
    expect(built.code, built.stderr).toBe(0);
  }
  versionA = snapshot(join(work, 'dist-a'));
  versionB = snapshot(join(work, 'dist-b'));
  expect([...versionA.keys()]).toEqual([...versionB.keys()]);
  // Only the Bruno and v3 requests, folders and Bruno environments do not carry the spec's name;
  // every other file differs.
  const same = [...versionA].filter(([name, text]) => versionB.get(name) === text).map(([name]) => name);
  const nameless =
    /^bruno\/[^/]+\/(?!opencollection\.yml)|^postman\/collections\/[^/]+\/(?!\.resources\/definition\.yaml$)/;
  expect(same.filter((name) => !nameless.test(name))).toEqual([]);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Which build each spec's files come from: 'A', 'B', or 'mixed' when they are out of step. */
function versionsBySpec(dist: string): Map<string, string> {
  const now = snapshot(dist);
  const bySpec = new Map<string, Set<string>>();
  for (const name of versionA.keys()) {
    // A file both versions write alike tells nothing about which build wrote it.
    if (versionA.get(name) === versionB.get(name)) continue;
    const text = now.get(name);
    const version = text === versionA.get(name) ? 'A' : text === versionB.get(name) ? 'B' : 'torn or missing';
    const id = OUTPUT_LAYOUT.specOf(name);
    bySpec.set(id, (bySpec.get(id) ?? new Set()).add(version));
  }
  return new Map(
    [...bySpec].map(([id, versions]) => [id, versions.size === 1 ? ([...versions][0] ?? '') : 'mixed']),
  );
}

function leftovers(dist: string): string[] {
  return readdirSync(dist).filter((name) => name.startsWith('.tokenman'));
}

/** A build has staged a generated file (it is past reading specs, and has replaced nothing yet). */
function stagingHasFiles(dist: string): boolean {
  return readdirSync(dist).some((name) => {
    if (!name.startsWith('.tokenman-tmp-')) return false;
    try {
      return readdirSync(join(dist, name), { recursive: true }).some((file) =>
        /\.(json|md)$/.test(String(file)),
      );
    } catch {
      return false;
    }
  });
}

/** A build has begun replacing files: the first spec's collection is already the new one. */
function renamingBegun(dist: string): boolean {
  const first = [...versionB.keys()][0] as string;
  try {
    return readFileSync(join(dist, first), 'utf8') === versionB.get(first);
  } catch {
    return false;
  }
}

type Moment = 'while staging files' | 'while renaming';

/**
 * Starts a build of version B over version A and sends `signal` at `moment`. The moment is looked
 * for every millisecond; a build that ends before it came is tried again, so the
 * signal is known to have landed where the test says.
 */
async function stopBuild(
  dist: string,
  signal: NodeJS.Signals,
  moment: Moment,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const ready = moment === 'while staging files' ? stagingHasFiles : renamingBegun;
  for (let attempt = 1; ; attempt++) {
    rmSync(dist, { recursive: true, force: true });
    cpSync(join(work, 'dist-a'), dist, { recursive: true });
    const child: ChildProcess = spawn(
      process.execPath,
      [BIN, 'build', '-q', '--specs', 'specs-b', '--out', dist],
      { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('exit', (code, sig) => resolve({ code, signal: sig })),
    );
    let running = true;
    void exited.then(() => {
      running = false;
    });
    // Every millisecond, not every turn of the event loop: a busy loop here took a core from the
    // build it watches, and each moment (staging, the renames of 300 specs' files) lasts longer.
    while (running && !ready(dist)) await delay(1);
    const hit = running;
    if (hit) child.kill(signal);
    const exit = await exited;
    if (hit) return { ...exit, stderr };
    if (attempt === 5) throw new Error(`the build ended each time before ${moment}: ${stderr}`);
  }
}

describe('a build stopped by SIGINT or SIGTERM', () => {
  const cases: Array<[NodeJS.Signals, Moment, number]> = [
    ['SIGTERM', 'while staging files', 143],
    ['SIGINT', 'while staging files', 130],
    ['SIGTERM', 'while renaming', 143],
  ];
  test.each(cases)(
    '%s %s leaves every spec whole, no lock, a truthful --check, and the next build works at once',
    async (signal, moment, exitCode) => {
      const dist = join(work, `dist-${signal}-${moment.replaceAll(' ', '-')}`);
      const stopped = await stopBuild(dist, signal, moment);
      expect(stopped.code, stopped.stderr).toBe(exitCode);
      expect(stopped.stderr).toMatch(new RegExp(`^tokenman: stopped by ${signal}(; | after )`));
      expect(stopped.stderr).not.toContain('unexpected error');
      expect(leftovers(dist)).toEqual([]);

      // The whole folder is one build's output: the old one, or (stopped while renaming) the new one.
      const versions = new Set(versionsBySpec(dist).values());
      expect(versions.size, [...versions].join(', ')).toBe(1);
      const [version] = versions;
      // Before the renames nothing is replaced; once they begun they are finished.
      expect(version).toBe(moment === 'while renaming' ? 'B' : 'A');
      expect(stopped.stderr).toContain(version === 'B' ? 'written in full' : 'left as it was');

      const check = await runCli(['build', '--check', '--specs', 'specs-b', '--out', dist], { cwd: work });
      expect(check.code).toBe(version === 'B' ? 0 : 1);

      const started = Date.now();
      const next = await runCli(['build', '-q', '--specs', 'specs-b', '--out', dist], { cwd: work });
      expect(next.code, next.stderr).toBe(0);
      expect(Date.now() - started).toBeLessThan(PROMPT_MS);
      expect(snapshot(dist)).toEqual(versionB);
      expect(leftovers(dist)).toEqual([]);
    },
    120_000,
  );
});

describe('a build killed with SIGKILL (no handler runs)', () => {
  test.each<Moment>(['while staging files', 'while renaming'])(
    'killed %s: --check tells the truth and the next build takes the dead lock over at once and finishes the job',
    async (moment) => {
      const dist = join(work, `dist-kill-${moment.replaceAll(' ', '-')}`);
      const killed = await stopBuild(dist, 'SIGKILL', moment);
      expect(killed.signal).toBe('SIGKILL');
      expect(existsSync(join(dist, '.tokenman.lock'))).toBe(true);

      const versions = versionsBySpec(dist);
      const allB = [...versions.values()].every((v) => v === 'B');
      const check = await runCli(['build', '--check', '--specs', 'specs-b', '--out', dist], { cwd: work });
      expect(check.code).toBe(allB ? 0 : 1);

      const started = Date.now();
      const next = await runCli(['build', '-q', '--specs', 'specs-b', '--out', dist], { cwd: work });
      expect(next.code, next.stderr).toBe(0);
      expect(Date.now() - started).toBeLessThan(PROMPT_MS);
      expect(snapshot(dist)).toEqual(versionB);
      expect(leftovers(dist)).toEqual([]);
    },
    120_000,
  );
});
