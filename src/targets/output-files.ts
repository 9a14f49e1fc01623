import { type Plan, TOKEN_REQUEST_DOCS_LEAD, type VariantPlan } from '../plan/plan-spec.js';
import { BRUNO_DIR, BRUNO_TOKEN_REQUEST_STEM } from './bruno/bruno-paths.js';

// Where every target's files stand in the output folder, and which files found there are a build's
// to replace or remove: the one place that knows the layout, handed to the emit stage (which knows
// files, not formats) and read by verify to find what it runs.

export const COLLECTION_SUFFIX = '.postman_collection.json';
export const ENVIRONMENT_SUFFIX = '.postman_environment.json';
export const DOCS_SUFFIX = '.md';

export function collectionFileName(plan: Pick<Plan, 'id'>): string {
  return `${plan.id}${COLLECTION_SUFFIX}`;
}

export function environmentFileName(plan: Pick<Plan, 'id'>, variant: Pick<VariantPlan, 'key'>): string {
  return variant.key ? `${plan.id}.${variant.key}${ENVIRONMENT_SUFFIX}` : `${plan.id}${ENVIRONMENT_SUFFIX}`;
}

export function docsFileName(plan: Pick<Plan, 'id'>): string {
  return `${plan.id}${DOCS_SUFFIX}`;
}

/** What the emit stage asks of the layout of the files it writes. */
export interface OutputLayout {
  /** The spec a file belongs to: its files are replaced together. */
  specOf(fileName: string): string;
  /**
   * Whether a file found in the output folder is one a build writes, so one the specs no longer
   * build to is removed; `all` is every file found there. A file of the user's is never one.
   */
  isGenerated(fileName: string, all: ReadonlySet<string>): boolean;
  /**
   * Whether a generated file of a spec that is still built, which the build no longer writes, is
   * to be removed (a spec's Bruno folder may hold requests the user added): read its text to tell.
   */
  isLeftover(fileName: string, text: () => Promise<string>): Promise<boolean>;
}

/** A Bruno file: a `.yml` in a spec's folder or in a folder of it (environments, get-token). */
function isBrunoFileName(parts: string[], fileName: string): boolean {
  return parts[0] === BRUNO_DIR && fileName.endsWith('.yml') && (parts.length === 3 || parts.length === 4);
}

/**
 * Where a spec's "Get token" requests may stand, in this layout or an older one: `get-token.yml`,
 * `get-token-<variant>.yml`, or any file of the `get-token/` folder.
 */
function isTokenRequestPlace(parts: string[]): boolean {
  const stem = BRUNO_TOKEN_REQUEST_STEM;
  if (parts.length === 4) return parts[2] === stem;
  return parts.length === 3 && new RegExp(`^${stem}(-[a-z0-9-]+)?\\.yml$`).test(parts[2] ?? '');
}

export const OUTPUT_LAYOUT: OutputLayout = {
  specOf(fileName) {
    if (fileName.startsWith(`${BRUNO_DIR}/`)) return fileName.split('/')[1] ?? fileName;
    const dot = fileName.indexOf('.');
    return dot < 0 ? fileName : fileName.slice(0, dot);
  },
  isGenerated(fileName, all) {
    const parts = fileName.split('/');
    if (parts.length > 1) return isBrunoFileName(parts, fileName);
    if (fileName.endsWith(COLLECTION_SUFFIX) || fileName.endsWith(ENVIRONMENT_SUFFIX)) return true;
    // A `<spec>.md` counts only beside its collection: a README of the user's own stays.
    return (
      fileName.endsWith(DOCS_SUFFIX) &&
      all.has(`${fileName.slice(0, -DOCS_SUFFIX.length)}${COLLECTION_SUFFIX}`)
    );
  },
  async isLeftover(fileName, text) {
    // A "Get token" request (or folder) of tokenman's own that the spec no longer has: a spec that
    // gained variants would otherwise keep its old one, which `bru run` sends with no variant set.
    const parts = fileName.split('/');
    if (parts[0] !== BRUNO_DIR || !isTokenRequestPlace(parts)) return false;
    return (await text()).includes(TOKEN_REQUEST_DOCS_LEAD);
  },
};
