// `tokenman attach`: a spec's token put into a Postman collection once, for someone who has no
// spec folder to build (yet). The same as a build of the spec with `api.collection` naming the
// collection, writing only the Postman collection (v2.1) and its environments.
import path from 'node:path';
import { checkOutputFile } from '../emit/output-path.js';
import { type WriteResult, writeArtifacts } from '../emit/write-artifacts.js';
import { collectionEntries } from '../spec/collection/collection-items.js';
import { loadSpec } from '../spec/load-spec.js';
import { countErrors, type Problem } from '../spec/problem.js';
import { collectionFileName, environmentFileName, OUTPUT_LAYOUT } from '../targets/output-files.js';
import { specArtifacts } from './spec-artifacts.js';

export interface AttachOnceInput {
  /** The collection file, as the user gave it. */
  collection: string;
  spec: string;
  outDir: string;
  signal?: AbortSignal;
}

export interface AttachOnceResult {
  /** Errors mean nothing was written. */
  problems: Problem[];
  /** Present when the files were written. */
  written?: WriteResult;
  /** How many requests the user's collection has, and how many of its auths were switched to the token. */
  requests?: { total: number; switched: number };
}

export async function attachOnce(input: AttachOnceInput): Promise<AttachOnceResult> {
  const loaded = await loadSpec(input.spec, { attach: input.collection });
  const { spec } = loaded;
  if (!spec || countErrors(loaded.problems)) return { problems: loaded.problems };
  const attached = spec.collection;
  const names = new Set([
    collectionFileName(spec),
    ...spec.variants.map((variant) => environmentFileName(spec, variant)),
  ]);
  const files = specArtifacts(spec).filter((artifact) => names.has(artifact.fileName));
  // Never over the collection or the spec this reads: refused before anything is written.
  const inputs = [
    { flag: 'the collection', path: input.collection },
    { flag: '--spec', path: input.spec },
  ];
  for (const file of files) await checkOutputFile(path.join(input.outDir, file.fileName), inputs);
  const written = await writeArtifacts(files, input.outDir, {
    layout: OUTPUT_LAYOUT,
    prune: false,
    signal: input.signal,
  });
  return {
    problems: loaded.problems,
    written,
    ...(attached ? { requests: countRequests(attached.collection.item, attached.switchedAuth.length) } : {}),
  };
}

function countRequests(items: unknown, switched: number): { total: number; switched: number } {
  let total = 0;
  for (const entry of collectionEntries(items)) if (entry.kind === 'request') total++;
  return { total, switched };
}
