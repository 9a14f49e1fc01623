// The document of a spec's API as a value, for what runs the API rather than writes requests of it:
// the embedded server's contract mode checks requests against it. Read as a build reads it (the
// same checks, the same OpenAPI 3 shape), and from the same kept copy while its file is unchanged.
import path from 'node:path';
import type { ApiDef } from '../types.js';
import { readDocument } from './read-document.js';

/** The document of a loaded spec's API; undefined when it no longer reads without an error. */
export async function readApiDocument(api: ApiDef): Promise<Record<string, unknown> | undefined> {
  const read = await readDocument('', path.resolve(api.document), (init) => ({
    ruleId: init.ruleId,
    severity: init.severity ?? 'error',
    message: init.message,
    file: api.document,
  }));
  return read.problems.some((problem) => problem.severity === 'error') ? undefined : read.document;
}
