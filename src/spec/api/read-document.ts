// An API document from its file to one value in the OpenAPI 3 shape, every `$ref` in it pointing
// inside it: read (no larger than MAX_DOCUMENT_BYTES), parsed, checked to be OpenAPI 3.0/3.1 or
// Swagger 2.0, its examples' literal `$ref`s renamed, the files its `$ref`s name brought in, and
// Swagger 2.0 converted. Each problem is a value with its place: in the spec for the spec's
// mistakes (a path to nothing), in the document for the document's.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Problem, Severity } from '../problem.js';
import { readAtMost } from '../read-at-most.js';
import type { PointAt, ProblemInit } from '../spec-source.js';
import { type DocumentPath, type DocumentPlace, DocumentPositions } from './document-positions.js';
import { checkRefs, dropDanglingRefs, type RefReport, valueAt } from './document-refs.js';
import { asRecord } from './list-operations.js';
import { parseDocumentText } from './parse-document.js';
import { convertSwagger2 } from './swagger2.js';

/**
 * The largest document (and file it names) read. Microsoft Graph's, among the largest published,
 * describes its 10,000 operations in less; a larger file is more likely the wrong one, and would
 * take seconds and gigabytes to read.
 */
export const MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;

const VERSIONS = 'tokenman reads OpenAPI 3.0 and 3.1, and Swagger 2.0';

/** A `$ref` that points at nothing: reported only if a selected operation uses it. */
export interface MissingRef {
  ref: string;
  /** How many places write it. */
  count: number;
  /** The first place that writes it; found when it is reported, since finding it costs a parse. */
  place: () => DocumentPlace;
  /** The objects of the document that hold it. */
  holders: Set<object>;
}

export interface DocumentRead {
  /** Present when there is no error: the document in OpenAPI 3 shape. */
  document?: Record<string, unknown>;
  /** `$ref`s to nothing, each read as any value. */
  missing: MissingRef[];
  /** The document's path as messages show it. */
  shown: string;
  /** Every file read, as messages show them. */
  files: string[];
  problems: Problem[];
  positions: DocumentPositions;
}

/** Reports a problem of the spec's own, at a place of the spec. */
export type SpecProblem = (init: ProblemInit, at: PointAt) => Problem;

/**
 * Documents read whole and without a problem, by absolute path, while their file stays the same
 * (size and modification time): a build of many specs that name one document (copies of a seed
 * spec, variants of one vendor) reads it once. One file only, since a change to a file its $refs
 * name would not show here; and a few, since each holds a parsed document of up to megabytes.
 * Nothing changes a document once read, so one value serves them all.
 */
const readDocuments = new Map<string, { stamp: string; read: DocumentRead }>();
const KEPT_DOCUMENTS = 4;

export async function readDocument(
  specFile: string,
  openapi: string,
  atSpec: SpecProblem,
): Promise<DocumentRead> {
  const shown = path.isAbsolute(openapi) ? openapi : path.join(path.dirname(specFile), openapi);
  const absolute = path.resolve(shown);
  const info = await stat(absolute).catch(() => undefined);
  const stamp = info?.isFile() ? `${info.size}:${info.mtimeMs}` : undefined;
  // Keyed by the path as messages show it too: a read names its files (and places its problems)
  // as seen from the spec that named it, so another spec's read of the same file is not its own.
  const key = `${absolute}\u0000${shown}`;
  const kept = readDocuments.get(key);
  if (stamp !== undefined && kept?.stamp === stamp) return kept.read;
  const read = await readDocumentFile(specFile, openapi, atSpec);
  if (stamp !== undefined && read.document && read.files.length === 1 && read.problems.length === 0) {
    readDocuments.delete(key);
    readDocuments.set(key, { stamp, read });
    for (const oldest of readDocuments.keys()) {
      if (readDocuments.size <= KEPT_DOCUMENTS) break;
      readDocuments.delete(oldest);
    }
  }
  return read;
}

async function readDocumentFile(
  specFile: string,
  openapi: string,
  atSpec: SpecProblem,
): Promise<DocumentRead> {
  const shown = path.isAbsolute(openapi) ? openapi : path.join(path.dirname(specFile), openapi);
  const positions = new DocumentPositions(shown);
  const problems: Problem[] = [];
  const result = (): DocumentRead => ({ shown, files: [shown], problems, positions, missing: [] });
  const inDocument = (init: ProblemInit, place: DocumentPlace): Problem => documentProblem(init, place);
  const atOpenapi = (init: ProblemInit) => problems.push(atSpec(init, { path: ['api', 'openapi'] }));

  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(openapi)) {
    atOpenapi({
      ruleId: 'api-document-url',
      message: `api.openapi must be a file: tokenman reads no URL, so a build is offline and gives the same result every time`,
      hint: "download the document next to the spec and give its path, relative to the spec's folder",
    });
    return result();
  }
  let bytes: Buffer;
  try {
    const read = await readAtMost(shown, MAX_DOCUMENT_BYTES);
    if (read.kind === 'not-a-file') {
      atOpenapi({
        ruleId: 'api-document-unreadable',
        message: `api.openapi names ${shown}, which is ${read.what}, not a file`,
      });
      return result();
    }
    if (read.kind === 'too-large') {
      const size = read.size === undefined ? `more than ${mib(MAX_DOCUMENT_BYTES)}` : mib(read.size);
      atOpenapi({
        ruleId: 'api-document-too-large',
        message: `the API document ${shown} is ${size}; tokenman reads documents of at most ${mib(MAX_DOCUMENT_BYTES)}`,
        hint: 'is this the right file? otherwise keep the paths you use, and the components they refer to, in a smaller document',
      });
      return result();
    }
    bytes = read.bytes;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    atOpenapi({
      ruleId: 'api-document-unreadable',
      message:
        code === 'ENOENT'
          ? `api.openapi names ${shown}, which does not exist`
          : `cannot read the API document ${shown}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : error instanceof Error ? error.message : String(error)}`,
      ...(code === 'ENOENT'
        ? { hint: `the path is relative to the spec's folder (${path.dirname(specFile)})` }
        : {}),
    });
    return result();
  }

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    atOpenapi({
      ruleId: 'api-document-not-text',
      message: `the API document ${shown} is not UTF-8 text`,
      hint: 'is this the right file?',
    });
    return result();
  }
  const parsed = parseDocumentText(text, shown);
  if (!parsed.ok) {
    problems.push(
      inDocument(
        { ruleId: 'api-document-syntax', message: `the API document ${parsed.message}` },
        { file: shown, position: parsed.position },
      ),
    );
    return result();
  }
  const root = asRecord(parsed.value);
  const kind: Version = root ? versionOf(root) : { ok: false, reason: 'none' };
  if (!root || !kind.ok) {
    if (kind.ok || !('field' in kind)) {
      atOpenapi({
        ruleId: 'api-document-not-openapi',
        message: `api.openapi names ${shown}, which is not an OpenAPI or Swagger document: it has no openapi or swagger field at its top`,
        hint: VERSIONS,
      });
    } else {
      problems.push(
        inDocument(
          { ruleId: 'api-document-version', message: `${kind.reason}: ${VERSIONS}` },
          positions.inFile(shown, [kind.field], 'value'),
        ),
      );
    }
    return result();
  }

  let document: Record<string, unknown> = root;
  let files = [shown];
  // JSON.parse gives every place its own value; YAML anchors may share one.
  let refs: RefReport = checkRefs(root, !/\.json$/i.test(shown));
  const refProblems: Problem[] = [];
  // A URL is refused before anything is read, so no file is read for a document that names one.
  for (const url of refs.urls)
    refProblems.push(inDocument(urlRefused(url.ref), positions.refIn(shown, url.path)));
  // Grouped by the $ref as written and the file that writes it: one warning each.
  let missing: MissingRef[] = refs.missing.map((use) => ({
    ref: use.ref,
    count: use.count,
    place: () => positions.refIn(shown, use.path),
    holders: new Set(use.holders),
  }));
  if (refs.urls.length === 0 && refs.external) {
    // Loaded only for a document of several files: most are one, and its load is not free.
    const { bundleFiles } = await import('./bundle-files.js');
    const bundled = await bundleFiles(path.resolve(shown), root, MAX_DOCUMENT_BYTES);
    const show = (file: string) => (path.isAbsolute(shown) ? file : path.relative(process.cwd(), file));
    document = asRecord(bundled.document) ?? root;
    files = bundled.files.map(show);
    refs = checkRefs(document, true);
    missing = [];
    for (const failure of bundled.failures) {
      const file = show(failure.file);
      if (failure.kind === 'url') {
        const ref = positions.refAt(file, failure.path) ?? failure.detail;
        refProblems.push(inDocument(urlRefused(ref), positions.refIn(file, failure.path)));
      } else if (failure.kind === 'unreadable') {
        const ref = positions.refAt(file, failure.path);
        const target = ref === undefined ? '' : path.join(path.dirname(file), ref.replace(/#.*$/, ''));
        refProblems.push(
          inDocument(
            {
              ruleId: 'api-ref-unreadable',
              message:
                ref === undefined
                  ? `a $ref here cannot be read: ${failure.detail}`
                  : failure.detail === 'no such file'
                    ? `$ref "${ref}" names ${target}, which does not exist`
                    : `$ref "${ref}" names ${target}, which cannot be read: ${failure.detail}`,
              hint: "a $ref's file is relative to the file that writes it",
            },
            positions.refIn(file, failure.path),
          ),
        );
      } else if (failure.kind === 'syntax') {
        refProblems.push(
          inDocument(
            { ruleId: 'api-document-syntax', message: `${file} ${failure.detail}` },
            { file, position: failure.position },
          ),
        );
      } else if (failure.kind === 'missing-pointer') {
        const place = positions.logical(failure.path);
        const ref = place.ref ?? failure.ref;
        const holder = valueAt(document, failure.path);
        const holders = holder !== null && typeof holder === 'object' ? [holder] : [];
        const known = missing.find((use) => use.ref === ref && use.place().file === place.file);
        if (known) {
          known.count++;
          for (const object of holders) known.holders.add(object);
        } else missing.push({ ref, count: 1, place: () => place, holders: new Set(holders) });
      } else {
        refProblems.push(
          inDocument(
            { ruleId: 'api-ref-unreadable', message: `a $ref cannot be read: ${failure.detail}` },
            { file, position: { line: 1, col: 1 } },
          ),
        );
      }
    }
  }
  for (const cycle of refs.cycles) {
    refProblems.push(
      inDocument(
        {
          ruleId: 'api-ref-cycle',
          message: `$ref cycle: ${cycle.pointers.join(' → ')} names only itself, never a value`,
          hint: 'one of them must describe the value itself; a schema may contain itself through a property, not be only a $ref to itself',
        },
        positions.logical(cycle.path),
      ),
    );
  }
  problems.push(...refProblems);
  if (refProblems.length) return { ...result(), files };
  // The objects that hold them stay the same objects, so a use is still found after this.
  if (missing.length || refs.external) dropDanglingRefs(document);
  if (kind.version === '2.0') convertSwagger2(document);
  return { document, shown, files, problems, positions, missing };
}

type Version =
  | { ok: true; version: string }
  | { ok: false; reason: 'none' }
  | { ok: false; reason: string; field: string };

function versionOf(root: Record<string, unknown>): Version {
  if (root.openapi !== undefined) {
    const version = String(root.openapi);
    if (/^3\.[01](\.\d+)?$/.test(version)) return { ok: true, version };
    return { ok: false, reason: `OpenAPI ${version} is not read`, field: 'openapi' };
  }
  if (root.swagger !== undefined) {
    const version = String(root.swagger);
    if (version === '2.0' || version === '2') return { ok: true, version: '2.0' };
    return { ok: false, reason: `Swagger ${version} is not read`, field: 'swagger' };
  }
  return { ok: false, reason: 'none' };
}

function urlRefused(ref: string): ProblemInit {
  return {
    ruleId: 'api-ref-url',
    message: `$ref "${ref}" is a URL: tokenman reads no URL, so a build is offline and gives the same result every time`,
    hint: 'download that file next to the document and refer to it by its path, as ./file.yaml#/Thing',
  };
}

export function documentProblem(init: ProblemInit, place: DocumentPlace): Problem {
  const severity: Severity = init.severity ?? 'error';
  return {
    ruleId: init.ruleId,
    severity,
    message: init.message,
    ...(init.hint ? { hint: init.hint } : {}),
    file: place.file,
    position: place.position,
    ...(place.end ? { end: place.end } : {}),
  };
}

function mib(bytes: number): string {
  const value = bytes / 1024 / 1024;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} MiB`;
}

export type { DocumentPath };
