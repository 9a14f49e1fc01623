// What some tests need to exist before they can prove anything: files to build cases from, and
// tools they run. A missing one fails, in one sentence, rather than skipping: vitest passes a file
// whose `test.each([])` made no test at all, and a skipped test is easy to miss in a long summary.
import { spawnSync } from 'node:child_process';

/** The items, or an error saying there are none (thrown while a file is collected, it fails the file). */
export function atLeastOne<T>(items: readonly T[], what: string): T[] {
  if (items.length === 0) throw new Error(`no ${what} found, so the tests made from them would not run`);
  return [...items];
}

/** Whether a command is on the PATH. */
export function onPath(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

/** Throws when a command the tests run is not installed (in a beforeAll, it fails every test after it). */
export function requireTool(tool: string, why: string): void {
  if (!onPath(tool))
    throw new Error(`${tool} is not installed, and ${why}; install it (on Debian: apt-get install ${tool})`);
}
