import type { Problem } from './problem.js';
import { readAtMost } from './read-at-most.js';
import type { Spec } from './types.js';

// Reading a spec file, apart from validating it: a build that finds a spec unchanged since its
// last build reads the file to know so, and need not load the parser and validator at all.

// A spec is a page of YAML; anything this large is the wrong file, and refusing it early keeps a
// mistaken path (a log, a binary) from being read into memory and parsed.
export const MAX_SPEC_BYTES = 1024 * 1024;

export interface SpecResult {
  /** Present only when there are no error-severity problems. */
  spec?: Spec;
  /** Errors and warnings, in file order. */
  problems: Problem[];
}

/**
 * A spec file's bytes, read as loadSpec reads them (a FIFO, a device or a file over the limit is
 * refused, not read), or the result that says why there are none. A build reads them itself to
 * know whether a spec changed since the last build.
 */
export async function readSpecFile(file: string): Promise<{ bytes: Buffer } | { result: SpecResult }> {
  try {
    const read = await readAtMost(file, MAX_SPEC_BYTES);
    if (read.kind === 'not-a-file') return { result: { problems: [notAFile(file, read.what)] } };
    if (read.kind === 'too-large') return { result: tooLarge(file, read.size) };
    return { bytes: read.bytes };
  } catch (error) {
    return { result: { problems: [unreadable(file, error)] } };
  }
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
