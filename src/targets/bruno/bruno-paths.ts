import type { Spec, VariantDef } from '../../spec/types.js';

// Where the Bruno target's files live inside the output folder: one folder per spec, because
// `bru run` takes a collection from the folder it is started in.

/** The folder under the output folder that holds every Bruno collection. */
export const BRUNO_DIR = 'bruno';
export const BRUNO_COLLECTION_FILE = 'opencollection.yml';
export const BRUNO_ENVIRONMENTS_DIR = 'environments';

/** A variant's "Get token" request file is `get-token-<variant>.yml`, a spec without variants' `get-token.yml`. */
export const BRUNO_TOKEN_REQUEST_STEM = 'get-token';
/**
 * How every "Get token" request's docs begin: what tells tokenman's own request file from one a
 * user added under the same kind of name, when a build no longer writes it.
 */
export const TOKEN_REQUEST_DOCS_LEAD = 'Fetches a token by hand';

/** `bruno/<spec>`, relative to the output folder. */
export function brunoCollectionDir(spec: Pick<Spec, 'id'>): string {
  return `${BRUNO_DIR}/${spec.id}`;
}

/** What `bru run --env <name>` takes: the variant's key, or the spec's id for a spec without variants. */
export function brunoEnvironmentName(spec: Pick<Spec, 'id'>, variant: Pick<VariantDef, 'key'>): string {
  return variant.key || spec.id;
}

/**
 * Whether a path under the output folder is one the Bruno target writes there: a `.yml` in a spec's
 * folder or in its environments folder. Used to prune the folder of a spec that was deleted.
 */
export function isBrunoFileName(fileName: string): boolean {
  const parts = fileName.split('/');
  if (parts[0] !== BRUNO_DIR || !fileName.endsWith('.yml')) return false;
  return parts.length === 3 || (parts.length === 4 && parts[2] === BRUNO_ENVIRONMENTS_DIR);
}

/** Whether a path under the output folder is named as a spec's "Get token" request file. */
export function isBrunoTokenRequestFileName(fileName: string): boolean {
  const parts = fileName.split('/');
  const stem = BRUNO_TOKEN_REQUEST_STEM;
  return (
    parts.length === 3 &&
    parts[0] === BRUNO_DIR &&
    new RegExp(`^${stem}(-[a-z0-9-]+)?\\.yml$`).test(parts[2] ?? '')
  );
}
