import { parseSpecBytes, type SpecResult } from '../spec/load-spec.js';
import { readSpecFile } from '../spec/read-spec-file.js';
import { contentHash } from './build-record.js';

/** A spec file as a build loads it: validated, with the hash of its bytes when they could be read. */
export interface LoadedSpecFile {
  result: SpecResult;
  /**
   * The hash of the file's bytes, which the build record keeps; none for a spec that names an API
   * document or a collection, whose build depends on files the record does not hash, so it is
   * always built.
   */
  source?: string;
}

/** Reads a spec file once, for its hash and its validation alike. */
export async function loadSpecFile(file: string): Promise<LoadedSpecFile> {
  const read = await readSpecFile(file);
  if (!('bytes' in read)) return { result: read.result };
  const result = await parseSpecBytes(read.bytes, file);
  const reads = result.spec?.api || result.spec?.collection;
  return reads ? { result } : { result, source: contentHash(read.bytes) };
}
