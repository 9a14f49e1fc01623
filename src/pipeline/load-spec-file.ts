import { parseSpecBytes, type SpecResult } from '../spec/load-spec.js';
import { readSpecFile } from '../spec/read-spec-file.js';
import { contentHash } from './build-record.js';

/** A spec file as a build loads it: validated, with the hash of its bytes when they could be read. */
export interface LoadedSpecFile {
  result: SpecResult;
  /** The hash of the file's bytes, which the build record keeps. */
  source?: string;
}

/** Reads a spec file once, for its hash and its validation alike. */
export async function loadSpecFile(file: string): Promise<LoadedSpecFile> {
  const read = await readSpecFile(file);
  if (!('bytes' in read)) return { result: read.result };
  return { result: parseSpecBytes(read.bytes, file), source: contentHash(read.bytes) };
}
