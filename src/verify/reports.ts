// Reports never hold a secret at any moment: Newman writes them into a private folder, tokenman
// redacts them there and only then puts the redacted bytes where the user asked for them.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Redactor } from './redact.js';

export type ReporterName = 'cli' | 'junit' | 'json';

/** The files Newman's junit and json reporters write for one run in `dir`, when asked for. */
export function reportPaths(dir: string, baseName: string, reporters: ReporterName[]) {
  return {
    junit: reporters.includes('junit') ? join(dir, `${baseName}.junit.xml`) : undefined,
    json: reporters.includes('json') ? join(dir, `${baseName}.json`) : undefined,
  };
}

// Private folders (raw reports) and temporary files still on disk. An exit that does not wait for
// the cleanup (a second Ctrl+C calls process.exit) still removes them: 'exit' listeners run then.
const leftovers = new Set<string>();
let cleaningOnExit = false;

function track(path: string): void {
  leftovers.add(path);
  if (cleaningOnExit) return;
  cleaningOnExit = true;
  process.on('exit', () => {
    for (const left of leftovers) rmSync(left, { recursive: true, force: true });
  });
}

async function untrack(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
  leftovers.delete(path);
}

/** A fresh folder under the system's temporary folder that only this user can read. */
export async function createPrivateDir(prefix = 'tokenman-reports-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  track(dir);
  await chmod(dir, 0o700);
  return dir;
}

export function removePrivateDir(dir: string): Promise<void> {
  return untrack(dir);
}

/**
 * Puts the redacted copy of a raw report at `target`: the bytes go to a temporary name beside it
 * and are renamed over it, so `target` is either absent or whole, and never unredacted.
 */
export async function publishReport(raw: string, target: string, redactor: Redactor): Promise<void> {
  const text = await readFile(raw, 'utf8');
  const redacted = raw.endsWith('.json')
    ? `${JSON.stringify(redactor.json(JSON.parse(text)), null, 2)}\n`
    : redactor.text(text);
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  track(temporary);
  try {
    await writeFile(temporary, redacted, { flag: 'wx' });
    await rename(temporary, target);
  } finally {
    await untrack(temporary);
  }
}
