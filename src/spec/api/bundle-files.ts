// A document whose `$ref`s name other files, brought into one: swagger-parser's bundle reads each
// file once and turns every `$ref` into one inside the document, so the rest of the stage (and the
// example writer) work on a single value. Only files are read: no URL, ever (builds are offline
// and give the same result every time), each file no larger than a document may be, and each with
// the `$ref`s of its examples renamed as the document's are.
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { Position } from '../problem.js';
import { readAtMost } from '../read-at-most.js';
import type { DocumentPath } from './document-positions.js';
import { checkRefs } from './document-refs.js';
import { parseDocumentText } from './parse-document.js';

/** Why a `$ref` could not be brought in, with where the bundler says it is. */
export type BundleFailure =
  /** A URL (refused), a file missing or unreadable, a file too large: where the `$ref` is written, and why. */
  | { kind: 'url' | 'unreadable'; file: string; path: DocumentPath; detail: string }
  /** A file that is not JSON or YAML: where in that file. */
  | { kind: 'syntax'; file: string; position: Position; detail: string }
  /** A `$ref` to a place its file does not have: the path in the bundled document. */
  | { kind: 'missing-pointer'; path: DocumentPath; ref: string; file: string }
  | { kind: 'other'; file: string; detail: string };

export interface Bundled {
  document: unknown;
  /** Absolute paths of every file read, the document's first. */
  files: string[];
  failures: BundleFailure[];
}

interface ParserError extends Error {
  code?: string;
  source?: string;
  path?: Array<string | number> | null;
  targetRef?: string;
  ioErrorCode?: string;
}

/** Brings the files `document` (read from `file`, an absolute path) names into it. */
export async function bundleFiles(file: string, document: object, maxBytes: number): Promise<Bundled> {
  const syntax = new Map<string, { position: Position; detail: string }>();
  const unreadable = new Map<string, string>();
  const parser = new SwaggerParser();
  const options = {
    continueOnError: true,
    resolve: {
      http: false,
      file: {
        read: async ({ url }: { url: string }) => {
          const path = filePath(url);
          // The bundler keeps no more than "Error reading file" of a failed read: why is kept here.
          const fail = (why: string, error?: unknown): never => {
            unreadable.set(path, why);
            throw error ?? new Error(why);
          };
          let read: Awaited<ReturnType<typeof readAtMost>>;
          try {
            read = await readAtMost(path, maxBytes);
          } catch (error) {
            const code = (error as { code?: unknown } | null)?.code;
            return fail(
              code === 'ENOENT'
                ? 'no such file'
                : code === 'EACCES' || code === 'EPERM'
                  ? 'permission denied'
                  : error instanceof Error
                    ? error.message
                    : String(error),
              error,
            );
          }
          if (read.kind === 'bytes') return read.bytes;
          return fail(
            read.kind === 'too-large'
              ? `it is larger than ${maxBytes / 1024 / 1024} MiB`
              : read.what === 'a directory'
                ? 'it is a directory'
                : `it is ${read.what}`,
          );
        },
      },
    },
    parse: {
      json: false,
      yaml: false,
      text: false,
      binary: false,
      document: {
        order: 1,
        allowEmpty: false,
        canParse: true,
        parse: ({ url, data }: { url: string; data: Buffer | string }) => {
          const path = filePath(url);
          const text = typeof data === 'string' ? data : new TextDecoder('utf-8').decode(data);
          const parsed = parseDocumentText(text, path);
          if (!parsed.ok) {
            syntax.set(path, { position: parsed.position, detail: parsed.message });
            throw new Error(parsed.message);
          }
          // Renames its examples' literal $refs; the bundler reports the rest.
          checkRefs(parsed.value, true);
          return parsed.value;
        },
      },
    },
  };
  let bundled: unknown;
  const failures: BundleFailure[] = [];
  try {
    bundled = await parser.bundle(file, document as never, options as never);
  } catch (error) {
    const errors = (error as { errors?: ParserError[] }).errors;
    if (!Array.isArray(errors)) throw error;
    bundled = parser.api;
    for (const failure of errors) failures.push(failureOf(failure, syntax, unreadable));
  }
  const files = parser.$refs.paths().map(filePath);
  return { document: bundled, files: [file, ...files.filter((read) => read !== file)], failures };
}

function failureOf(
  error: ParserError,
  syntax: Map<string, { position: Position; detail: string }>,
  unreadable: Map<string, string>,
): BundleFailure {
  const file = filePath(error.source ?? '');
  const path = error.path ?? [];
  switch (error.code) {
    case 'EUNMATCHEDRESOLVER':
      return { kind: 'url', file, path, detail: error.message };
    case 'ERESOLVER': {
      const target = /^Error (?:reading|opening) file "?([^":]*)/.exec(error.message)?.[1];
      const detail = (target !== undefined ? unreadable.get(filePath(target)) : undefined) ?? error.message;
      return { kind: 'unreadable', file, path, detail };
    }
    case 'EMISSINGPOINTER':
      return { kind: 'missing-pointer', path, ref: error.targetRef ?? '', file };
    default: {
      const failed = syntax.get(file);
      if (failed) return { kind: 'syntax', file, ...failed };
      return { kind: 'other', file, detail: error.message };
    }
  }
}

/** A file as the bundler names it (a path, or a file: URL) as a path. */
function filePath(url: string): string {
  if (url.startsWith('file:')) return fileURLToPath(url);
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}
