import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { OutputLockedError, withOutputLock } from '../../src/emit/output-lock.js';
import { writeArtifacts } from '../../src/emit/write-artifacts.js';
import { OUTPUT_LAYOUT } from '../../src/targets/output-files.js';
import { ROOT, runCli } from '../support/run-cli.js';

// What a stopped or killed build leaves behind, made by hand so each case is exact: the next build
// must recover at once, not wait 30 s and fail.

/** Under the 30 s a build waits for a lock that a running build holds. */
const PROMPT_MS = 15_000;

let work: string;
let dist: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'tokenman-recovery-'));
  dist = join(work, 'dist');
  cpSync(join(ROOT, 'specs'), join(work, 'specs'), { recursive: true });
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** The pid of a process that has ended: a build killed with SIGKILL. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid;
}

function leaveLock(owner: object | undefined): void {
  mkdirSync(join(dist, '.tokenman.lock'), { recursive: true });
  if (owner) writeFileSync(join(dist, '.tokenman.lock', 'owner.json'), JSON.stringify(owner));
}

async function timedBuild(args: string[] = []) {
  const started = Date.now();
  const result = await runCli(['build', '-q', ...args], { cwd: work });
  return { ...result, ms: Date.now() - started };
}

describe('a lock left behind', () => {
  test('by a killed build (its pid is gone) is taken over at once', async () => {
    leaveLock({ pid: deadPid(), host: hostname(), since: new Date().toISOString(), nonce: 'killed' });
    const build = await timedBuild();
    expect(build.code, build.stderr).toBe(0);
    expect(build.ms).toBeLessThan(PROMPT_MS);
    expect(readdirSync(dist).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  test('by an older tokenman (an empty lock folder) is taken over at once', async () => {
    leaveLock(undefined);
    const build = await timedBuild();
    expect(build.code, build.stderr).toBe(0);
    expect(build.ms).toBeLessThan(PROMPT_MS);
  });

  test('by a killed build, with six builds waiting on it: one takes it over and they all take turns', async () => {
    leaveLock({ pid: deadPid(), host: hostname(), since: new Date().toISOString(), nonce: 'killed' });
    const builds = await Promise.all(Array.from({ length: 6 }, () => timedBuild()));
    expect(builds.map((b) => b.code)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(readdirSync(dist).filter((n) => n.startsWith('.'))).toEqual([]);
    expect((await runCli(['build', '--check'], { cwd: work })).code).toBe(0);
  });

  test('by a killed build, whose takeover was itself killed half-way, is still taken over', async () => {
    const owner = { pid: deadPid(), host: hostname(), since: new Date().toISOString(), nonce: 'killed' };
    leaveLock(owner);
    const marker = join(dist, '.tokenman.lock', 'takeover-killed');
    mkdirSync(marker);
    const past = new Date(Date.now() - 60_000);
    utimesSync(marker, past, past);
    const build = await timedBuild();
    expect(build.code, build.stderr).toBe(0);
    expect(build.ms).toBeLessThan(PROMPT_MS);
    expect(readdirSync(dist).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  test('by a build that still runs is waited on, and the wait ends with a sentence naming its owner', async () => {
    const running: ChildProcess = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      mkdirSync(dist);
      const owner = { pid: running.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z', nonce: 'alive' };
      leaveLock(owner);
      const wait = withOutputLock(dist, async () => 'ran', { waitMs: 300 });
      await expect(wait).rejects.toBeInstanceOf(OutputLockedError);
      await expect(wait).rejects.toThrow(
        `${dist} stayed locked by another tokenman build (pid ${running.pid} on ${hostname()} since 2026-01-01T00:00:00.000Z) for 0 s; run again when it ends, or remove ${join(dist, '.tokenman.lock')} if no tokenman build is running`,
      );
      // The moment that build is gone, its lock is taken over.
      running.kill('SIGKILL');
      await new Promise((resolve) => running.once('exit', resolve));
      await expect(withOutputLock(dist, async () => 'ran', { waitMs: 300 })).resolves.toBe('ran');
    } finally {
      running.kill('SIGKILL');
    }
  });
});

describe('a staging folder left behind', () => {
  const artifact = (fileName: string, content: string) => ({ fileName, content });

  test('with a journal (killed while renaming) is finished by the next build before anything else', async () => {
    await writeArtifacts(
      [
        artifact('a.postman_collection.json', 'old a'),
        artifact('a.md', 'old a docs'),
        artifact('gone.postman_collection.json', 'x'),
      ],
      dist,
      { layout: OUTPUT_LAYOUT, prune: false },
    );
    // The killed build had renamed a's collection but not its docs, and was to remove `gone`.
    const staging = join(dist, '.tokenman-tmp-killed');
    mkdirSync(join(staging, 'files'), { recursive: true });
    writeFileSync(join(dist, 'a.postman_collection.json'), 'new a');
    writeFileSync(join(staging, 'files', 'a.md'), 'new a docs');
    writeFileSync(
      join(staging, 'journal.json'),
      JSON.stringify({
        rename: ['a.postman_collection.json', 'a.md'],
        remove: ['gone.postman_collection.json'],
      }),
    );
    // The next build is of another spec only; spec a is made whole all the same.
    await writeArtifacts([artifact('b.postman_collection.json', 'b')], dist, {
      layout: OUTPUT_LAYOUT,
      prune: false,
    });
    expect(readFileSync(join(dist, 'a.postman_collection.json'), 'utf8')).toBe('new a');
    expect(readFileSync(join(dist, 'a.md'), 'utf8')).toBe('new a docs');
    expect(existsSync(join(dist, 'gone.postman_collection.json'))).toBe(false);
    expect(readdirSync(dist).sort()).toEqual([
      'a.md',
      'a.postman_collection.json',
      'b.postman_collection.json',
    ]);
  });

  test('without a journal (stopped before renaming) is removed and nothing of it is used', async () => {
    await writeArtifacts([artifact('a.postman_collection.json', 'old a')], dist, {
      layout: OUTPUT_LAYOUT,
      prune: false,
    });
    const staging = join(dist, '.tokenman-tmp-stopped');
    mkdirSync(join(staging, 'files'), { recursive: true });
    writeFileSync(join(staging, 'files', 'a.postman_collection.json'), 'half of new a');
    await writeArtifacts([artifact('b.postman_collection.json', 'b')], dist, {
      layout: OUTPUT_LAYOUT,
      prune: false,
    });
    expect(readFileSync(join(dist, 'a.postman_collection.json'), 'utf8')).toBe('old a');
    expect(readdirSync(dist).sort()).toEqual(['a.postman_collection.json', 'b.postman_collection.json']);
  });

  test('a build asked to stop before renaming leaves the folder as it was, and no lock', async () => {
    await writeArtifacts([artifact('a.postman_collection.json', 'old a')], dist, {
      layout: OUTPUT_LAYOUT,
      prune: false,
    });
    const controller = new AbortController();
    const artifacts = (function* () {
      yield artifact('a.postman_collection.json', 'new a');
      controller.abort(new Error('stopped by SIGTERM'));
      yield artifact('b.postman_collection.json', 'b');
    })();
    await expect(
      writeArtifacts(artifacts, dist, { layout: OUTPUT_LAYOUT, prune: true, signal: controller.signal }),
    ).rejects.toThrow('stopped by SIGTERM');
    expect(readdirSync(dist)).toEqual(['a.postman_collection.json']);
    expect(readFileSync(join(dist, 'a.postman_collection.json'), 'utf8')).toBe('old a');
  });
});
