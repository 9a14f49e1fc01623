// What a build wrote, kept so that the next build into the same folder can skip the specs that did
// not change. A spec's files depend on nothing but its file's bytes, its file name and tokenman's
// own code, so a spec whose bytes are those of the record, built by the same code, builds to the
// files the record names, byte for byte. The record is never trusted for what the folder holds:
// each of those files is read and its hash compared before the spec is skipped, so a file edited,
// removed or left half-written by hand is found and rewritten as a full build would.
//
// It lives outside the output folder (in the user's cache folder, one file per output folder), so
// the output folder holds the build's files and nothing else. A record that is missing, damaged or
// of another tokenman only makes the build a full one; one that cannot be written is left out.
import { createHash } from 'node:crypto';
import {
  type BigIntStats,
  closeSync,
  constants,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Problem } from '../spec/problem.js';
import { readSpecFile } from '../spec/read-spec-file.js';
import { specIdFromFile } from '../spec/spec-id.js';
import type { Spec } from '../spec/types.js';

export interface RecordedSpec {
  /** Hash of the spec file's bytes. */
  source: string;
  spec: Spec;
  /** Its warnings: a spec with an error writes nothing, and is not recorded. */
  problems: Problem[];
  /** Every file it builds to, with the hash of its bytes. */
  files: Record<string, string>;
}

export interface BuildRecord {
  /** The output folder, as an absolute path. */
  outDir: string;
  /** Of the code that built it (see codeFingerprint); a record of other code is not used. */
  code: string;
  /** By spec file, as the build was given it. */
  specs: Record<string, RecordedSpec>;
}

/**
 * Builds of fewer specs keep no record and use none: hashing tokenman's own code for the record's
 * fingerprint and reading a record cost some tens of milliseconds, which only many specs pay back.
 */
export const RECORD_FROM = 50;

/** Records kept, one per output folder built into; the oldest go first. */
const KEPT_RECORDS = 32;

/** The hash a record keeps of a file's bytes. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

/** Where the record of an output folder is kept. */
function recordFile(outDir: string): string {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const name = createHash('sha256').update(resolve(outDir)).digest('hex').slice(0, 32);
  return join(cache, 'tokenman', 'builds', `${name}.json`);
}

let fingerprint: string | undefined;

/**
 * A hash of everything besides a spec file that its files depend on: tokenman's compiled code (or
 * its sources, run from them), the sandbox modules and signers the scripts are assembled from, the
 * spec schema, the YAML library's version and Node's. Any change to any of them, a new tokenman
 * or an edit of one file alike, makes every record of the old one unused.
 */
export function codeFingerprint(): string {
  if (fingerprint) return fingerprint;
  const hash = createHash('sha256');
  const code = fileURLToPath(new URL('../', import.meta.url));
  const root = join(code, '..');
  const require = createRequire(import.meta.url);
  const yaml = require('yaml/package.json') as { version: string };
  const own = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  hash.update(`tokenman ${own.version}, yaml ${yaml.version}, node ${process.version}\n`);
  const folders = [code, join(root, 'src', 'sandbox'), join(root, 'schema')];
  for (const folder of [...new Set(folders)]) {
    for (const file of filesUnder(folder)) {
      hash.update(`${file}\n`);
      hash.update(readFileSync(join(folder, file)));
    }
  }
  fingerprint = hash.digest('base64');
  return fingerprint;
}

/** The code files under a folder, `/`-separated, sorted; source maps and declarations are not code. */
function filesUnder(folder: string): string[] {
  try {
    if (!statSync(folder).isDirectory()) return [];
  } catch {
    return [];
  }
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((name) => name.split('\\').join('/'))
    .filter((name) => /\.(js|ts|json)$/.test(name) && !/\.d\.ts$/.test(name))
    .sort();
}

/** The record of the last build into outDir by this code, or undefined. */
export async function readBuildRecord(outDir: string): Promise<BuildRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(recordFile(outDir), 'utf8')) as Partial<BuildRecord>;
    if (record.outDir !== resolve(outDir) || record.code !== codeFingerprint()) return undefined;
    if (typeof record.specs !== 'object' || record.specs === null) return undefined;
    return record as BuildRecord;
  } catch {
    return undefined;
  }
}

/** Keeps the record (whole or not at all); a cache folder that cannot be written is left alone. */
export async function writeBuildRecord(record: BuildRecord): Promise<void> {
  let part: string | undefined;
  try {
    const file = recordFile(record.outDir);
    part = `${file}.${process.pid}.part`;
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(part, JSON.stringify(record), { mode: 0o600 });
    await rename(part, file);
    await forgetOldRecords(join(file, '..'));
  } catch {
    if (part) await rm(part, { force: true }).catch(() => undefined);
  }
}

async function forgetOldRecords(folder: string): Promise<void> {
  const names = (await readdir(folder)).filter((name) => name.endsWith('.json'));
  if (names.length <= KEPT_RECORDS) return;
  const dated = await Promise.all(
    names.map(async (name) => ({
      name,
      at: await stat(join(folder, name)).then(
        (info) => info.mtimeMs,
        () => 0,
      ),
    })),
  );
  dated.sort((a, b) => b.at - a.at);
  await Promise.all(
    dated
      .slice(KEPT_RECORDS)
      .map(({ name }) => rm(join(folder, name), { force: true }).catch(() => undefined)),
  );
}

/** What identifies one version of a file: another build's file renamed over it, or an edit, changes it. */
type FileIdentity = string;

function identityOf(info: BigIntStats): FileIdentity {
  return `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
}

/**
 * The identity of a file that holds the bytes whose hash the record keeps (it is read and hashed),
 * or undefined when it does not, is missing or is not a regular file. Opened without blocking, as
 * a spec is, so a FIFO put in its place is refused rather than waited on. Read with blocking calls:
 * a file of a few kilobytes comes from the page cache at once, and a no-change rebuild reads ten
 * thousand of them, which through the thread pool cost more in hand-offs than in reading.
 */
function asRecorded(file: string, hash: string): FileIdentity | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const info = fstatSync(fd, { bigint: true });
    if (!info.isFile()) return undefined;
    const size = Number(info.size);
    // One byte more than it says, to notice a file that grew since.
    const bytes = Buffer.allocUnsafe(size + 1);
    let length = 0;
    for (let read = 1; read > 0 && length <= size; length += read)
      read = readSync(fd, bytes, length, bytes.length - length, null);
    if (length !== size) return undefined;
    return contentHash(bytes.subarray(0, size)) === hash ? identityOf(info) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A recorded spec found unchanged: its file as the record has it, its files as they were read. */
export interface UnchangedSpec {
  entry: RecordedSpec;
  /** Each of its files in the output folder, with the identity it had when it was read. */
  seen: Map<string, FileIdentity>;
}

/**
 * The spec file, if its bytes are those the record keeps, and every file the record says it builds
 * to holds the bytes the record keeps, read and hashed: such a spec needs no loading and no
 * generating. A spec whose id is not its file's, or whose files are not its own, is not taken from
 * a record (which then says something no build wrote).
 */
export async function unchangedSpec(
  file: string,
  entry: RecordedSpec | undefined,
  outDir: string,
  specOf: (fileName: string) => string,
): Promise<UnchangedSpec | undefined> {
  if (!entry || typeof entry.source !== 'string' || typeof entry.files !== 'object' || !entry.spec) return;
  const names = Object.keys(entry.files);
  if (names.length === 0 || entry.spec.id !== specIdFromFile(file).id) return;
  if (names.some((name) => specOf(name) !== entry.spec.id)) return;
  const read = await readSpecFile(file);
  if (!('bytes' in read) || contentHash(read.bytes) !== entry.source) return;
  const seen = new Map<string, FileIdentity>();
  for (const name of names) {
    const identity = asRecorded(join(outDir, name), entry.files[name] as string);
    if (identity === undefined) return;
    seen.set(name, identity);
  }
  return { entry, seen };
}

/**
 * Whether the files of an unchanged spec are still the ones read, checked under the output
 * folder's lock: a build running at the same time may have renamed others over them since.
 */
export async function stillAsSeen(outDir: string, unchanged: UnchangedSpec): Promise<boolean> {
  for (const [name, identity] of unchanged.seen) {
    const info = await stat(join(outDir, name), { bigint: true }).catch(() => undefined);
    if (!info || identityOf(info) !== identity) return false;
  }
  return true;
}
