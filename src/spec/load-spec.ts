import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { checkSchema } from './check-schema.js';
import { checkSemantics } from './check-semantics.js';
import { normalizeSpec } from './normalize-spec.js';
import { parseYaml } from './parse-yaml.js';
import type { Problem } from './problem.js';
import { specIdFromFile } from './spec-id.js';
import type { TokenmanSpec } from './spec-input.generated.js';
import type { Spec } from './types.js';

// A spec is a page of YAML; anything this large is the wrong file, and refusing it early keeps a
// mistaken path (a log, a binary) from being read into memory and parsed.
export const MAX_SPEC_BYTES = 1024 * 1024;

export interface SpecResult {
  /** Present only when there are no error-severity problems. */
  spec?: Spec;
  /** Errors and warnings, in file order. */
  problems: Problem[];
}

/** Reads and validates one spec file. Never throws for a user's mistake. */
export async function loadSpec(file: string): Promise<SpecResult> {
  let bytes: Buffer;
  try {
    const read = await readAtMost(file, MAX_SPEC_BYTES);
    if (read.kind === 'not-a-file') return { problems: [notAFile(file, read.what)] };
    if (read.kind === 'too-large') return tooLarge(file, read.size);
    bytes = read.bytes;
  } catch (error) {
    return { problems: [unreadable(file, error)] };
  }

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { problems: [notUtf8(file, bytes)] };
  }
  return parseSpec(text, file);
}

type Read =
  | { kind: 'bytes'; bytes: Buffer }
  | { kind: 'too-large'; size: number | undefined }
  | { kind: 'not-a-file'; what: string };

/**
 * Reads up to `limit` bytes of a regular file. Opened without blocking, so a FIFO (which would
 * wait for a writer forever) or a device is found out by fstat and refused instead of read; a file
 * that grows while read is still cut at the limit.
 */
async function readAtMost(file: string, limit: number): Promise<Read> {
  // O_NONBLOCK is POSIX; where it is missing (Windows) there are no FIFOs to wait on either.
  const handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return { kind: 'not-a-file', what: 'a directory' };
    if (!info.isFile()) {
      const kind = info.isFIFO()
        ? 'a FIFO (named pipe)'
        : info.isSocket()
          ? 'a socket'
          : info.isCharacterDevice() || info.isBlockDevice()
            ? 'a device'
            : 'not a regular file';
      return { kind: 'not-a-file', what: kind };
    }
    if (info.size > limit) return { kind: 'too-large', size: info.size };
    // Chunks as large as the file says it is (a little more, to notice one that grew), so a build
    // of many small specs does not hold a megabyte for each.
    const chunkSize = Math.min(info.size + 1, limit + 1);
    const chunks: Buffer[] = [];
    let length = 0;
    while (length <= limit) {
      const chunk = Buffer.alloc(Math.max(chunkSize, 1));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
    }
    if (length > limit) return { kind: 'too-large', size: undefined };
    return { kind: 'bytes', bytes: Buffer.concat(chunks, length) };
  } finally {
    await handle.close();
  }
}

/** Validates spec text; `file` names it in problems and gives the spec its id. */
export function parseSpec(text: string, file: string): SpecResult {
  const problems: Problem[] = [];
  const { id, problem: idProblem } = specIdFromFile(file);
  if (idProblem) problems.push(idProblem);

  const parsed = parseYaml(text, file);
  problems.push(...parsed.problems);
  const { source, value } = parsed;
  if (source && value !== undefined && !hasErrors(parsed.problems)) {
    const schemaProblems = checkSchema(value, source);
    problems.push(...schemaProblems);
    // The semantic rules assume the shape the schema guarantees.
    if (!hasErrors(schemaProblems)) {
      const input = value as TokenmanSpec;
      problems.push(...checkSemantics(input, source));
      if (!hasErrors(problems))
        return { spec: normalizeSpec(input, id, file), problems: sortByPosition(problems) };
    }
  }
  return { problems: sortByPosition(problems) };
}

function hasErrors(problems: Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** File order, so problems read top to bottom; whole-file problems first. */
function sortByPosition(problems: Problem[]): Problem[] {
  const key = (p: Problem) => (p.position ? p.position.line * 1e6 + p.position.col : -1);
  return problems
    .map((p, index) => ({ p, index }))
    .sort((a, b) => key(a.p) - key(b.p) || a.index - b.index)
    .map(({ p }) => p);
}

function tooLarge(file: string, size: number | undefined): SpecResult {
  const what = size === undefined ? 'more than 1 MiB' : `${(size / 1024 / 1024).toFixed(1)} MiB`;
  return {
    problems: [
      {
        ruleId: 'file-too-large',
        severity: 'error',
        message: `the file is ${what}; a spec may be at most 1 MiB`,
        hint: 'is this the right file? a spec is a short YAML file',
        file,
      },
    ],
  };
}

/** A directory keeps the message it always had; anything else that is not a file says what it is. */
function notAFile(file: string, kind: string): Problem {
  if (kind === 'a directory')
    return {
      ruleId: 'unreadable',
      severity: 'error',
      message: 'cannot read the spec: it is a directory',
      file,
    };
  const what = kind === 'not a regular file' ? kind : `it is ${kind}, not a file`;
  return {
    ruleId: 'unreadable',
    severity: 'error',
    message: `cannot read the spec: ${what}`,
    hint: 'a spec is a YAML file; save it to a file and give that path',
    file,
  };
}

function unreadable(file: string, error: unknown): Problem {
  const code = (error as { code?: unknown } | null)?.code;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file',
    EISDIR: 'it is a directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
  };
  const reason =
    (typeof code === 'string' ? reasons[code] : undefined) ??
    (error instanceof Error ? error.message : String(error));
  return { ruleId: 'unreadable', severity: 'error', message: `cannot read the spec: ${reason}`, file };
}

/** Points at the first place that is not UTF-8, so a wrongly saved file can be found and fixed. */
function notUtf8(file: string, bytes: Buffer): Problem {
  // Decoded leniently, each invalid sequence becomes U+FFFD; positions count decoded characters,
  // like every other position.
  const text = new TextDecoder('utf-8').decode(bytes);
  const before = text.slice(0, Math.max(0, text.indexOf('\uFFFD')));
  const lines = before.split('\n');
  return {
    ruleId: 'not-text',
    severity: 'error',
    message: 'the file is not UTF-8 text',
    hint: 'is this the right file? save the spec as UTF-8',
    file,
    position: { line: lines.length, col: (lines[lines.length - 1] ?? '').length + 1 },
  };
}
