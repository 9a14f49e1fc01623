// A Postman collection file a user names, read without trusting it: no larger than
// MAX_COLLECTION_BYTES, UTF-8, JSON, and a Collection v2.1 (its `info.schema` says so). Each
// mistake is one problem: at the place that names the file for a file that cannot be read, in the
// file itself (line and column) for what is wrong inside it.
import { DocumentPositions } from '../api/document-positions.js';
import { parseDocumentText } from '../api/parse-document.js';
import type { Problem } from '../problem.js';
import { readAtMost } from '../read-at-most.js';
import type { ProblemInit } from '../spec-source.js';

/**
 * The largest collection read. A collection of a thousand requests with their examples is a few
 * megabytes; a larger file is more likely the wrong one (a data dump, a log).
 */
export const MAX_COLLECTION_BYTES = 32 * 1024 * 1024;

/** The `info.schema` of a Collection v2.1, on Postman's schema hosts, old and new. */
const V21_SCHEMA = /\/collection\/v2\.1(\.\d+)?\/collection\.json$/;
const V2_SCHEMA = /\/collection\/v(\d+(\.\d+)*)\/collection\.json$/;
const EXPORT_AGAIN = 'in Postman, export the collection again and choose Collection v2.1';

export type CollectionJson = Record<string, unknown>;

export interface CollectionRead {
  /** Present when there is no error. */
  collection?: CollectionJson;
  problems: Problem[];
}

/** Makes a problem about the file as a whole, at whatever names it (the spec's `api.collection`, a command's argument). */
export type AtFileName = (init: ProblemInit) => Problem;

/**
 * @param missingHint what a user whose path names nothing is told: where the path is read from.
 */
export async function readCollection(
  file: string,
  atFileName: AtFileName,
  missingHint?: string,
): Promise<CollectionRead> {
  const problems: Problem[] = [];
  const refuse = (init: ProblemInit): CollectionRead => ({ problems: [atFileName(init)] });
  const at = (path: ReadonlyArray<string | number>, point: 'key' | 'value' = 'key') =>
    new DocumentPositions(file).inFile(file, path, point).position;
  const inFile = (init: ProblemInit, position = { line: 1, col: 1 }): CollectionRead => ({
    problems: [
      {
        ruleId: init.ruleId,
        severity: init.severity ?? 'error',
        message: init.message,
        ...(init.hint ? { hint: init.hint } : {}),
        file,
        position,
      },
    ],
  });

  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(file))
    return refuse({
      ruleId: 'collection-unreadable',
      message: `${file} is a URL: tokenman reads a collection from a file, so a build is offline and gives the same result every time`,
      hint: 'export the collection from Postman (Collection v2.1) and give the path of the file',
    });
  let bytes: Buffer;
  try {
    const read = await readAtMost(file, MAX_COLLECTION_BYTES);
    if (read.kind === 'not-a-file')
      return refuse({
        ruleId: 'collection-unreadable',
        message: `the collection ${file} is ${read.what}, not a file`,
      });
    if (read.kind === 'too-large')
      return refuse({
        ruleId: 'collection-too-large',
        message: `the collection ${file} is ${read.size === undefined ? `more than ${mib(MAX_COLLECTION_BYTES)}` : mib(read.size)}; tokenman reads collections of at most ${mib(MAX_COLLECTION_BYTES)}`,
        hint: 'is this the right file? a Postman export of a thousand requests is a few MiB',
      });
    bytes = read.bytes;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    return refuse({
      ruleId: 'collection-unreadable',
      message:
        code === 'ENOENT'
          ? `the collection ${file} does not exist`
          : `cannot read the collection ${file}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : error instanceof Error ? error.message : String(error)}`,
      ...(code === 'ENOENT' && missingHint ? { hint: missingHint } : {}),
    });
  }

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refuse({
      ruleId: 'collection-not-text',
      message: `the collection ${file} is not UTF-8 text`,
      hint: 'is this the right file? a Postman export is a .json file',
    });
  }
  // Read as JSON whatever the file is called: a Postman export is JSON.
  const parsed = parseDocumentText(text, `${file}.json`);
  if (!parsed.ok)
    return inFile(
      {
        ruleId: 'collection-syntax',
        message: `the collection ${parsed.message}`,
        hint: 'a Postman export is JSON; is this the right file?',
      },
      parsed.position,
    );
  const root = parsed.value;
  if (root === null || typeof root !== 'object' || Array.isArray(root))
    return inFile({
      ruleId: 'not-a-collection',
      message: 'this is JSON, but not a Postman collection: not an object with info and item',
      hint: EXPORT_AGAIN,
    });
  const collection = root as CollectionJson;
  const info = collection.info as Record<string, unknown> | undefined;
  const schema = info !== null && typeof info === 'object' ? info.schema : undefined;
  if (typeof schema !== 'string') {
    const v1 = Array.isArray(collection.requests);
    const environment = Array.isArray(collection.values) && '_postman_variable_scope' in collection;
    const what = v1
      ? 'a Postman Collection v1 export (it has requests and no info.schema); tokenman reads Collection v2.1'
      : environment
        ? 'a Postman environment, not a collection'
        : 'not a Postman collection: it has no info.schema';
    return inFile(
      {
        ruleId: v1 ? 'collection-version' : 'not-a-collection',
        message: `this is ${what}`,
        hint: environment
          ? "name the collection's file (…postman_collection.json); the spec's environments are written for you"
          : EXPORT_AGAIN,
      },
      v1 ? at(['requests']) : undefined,
    );
  }
  if (!V21_SCHEMA.test(schema)) {
    const version = V2_SCHEMA.exec(schema)?.[1];
    return inFile(
      {
        ruleId: 'collection-version',
        message: version
          ? `this is a Postman Collection v${version}; tokenman reads Collection v2.1`
          : `info.schema names "${schema}", not Postman Collection v2.1`,
        hint: EXPORT_AGAIN,
      },
      at(['info', 'schema'], 'value'),
    );
  }
  if (collection.item !== undefined && !Array.isArray(collection.item))
    return inFile(
      {
        ruleId: 'not-a-collection',
        message: 'this is not a Postman collection: its item is not a list',
        hint: EXPORT_AGAIN,
      },
      at(['item']),
    );
  return { collection, problems };
}

function mib(bytes: number): string {
  const value = bytes / 1024 / 1024;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} MiB`;
}
