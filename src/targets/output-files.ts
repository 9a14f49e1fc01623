import {
  type Plan,
  REQUEST_CHECK_ROLE,
  REQUEST_FOLDER_DOCS_LEAD,
  TOKEN_REQUEST_DOCS_LEAD,
  type VariantPlan,
} from '../plan/plan-spec.js';
import { BRUNO_DIR } from './bruno/bruno-paths.js';
import {
  POSTMAN_V3_COLLECTIONS_DIR,
  POSTMAN_V3_ENVIRONMENTS_DIR,
  V3_ENVIRONMENT_SUFFIX,
} from './postman/postman-v3-paths.js';

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

/** A Bruno file: a `.yml` in a spec's folder or in a folder of it (environments, get-token, a tag's). */
function isBrunoFileName(parts: string[], fileName: string): boolean {
  return parts[0] === BRUNO_DIR && fileName.endsWith('.yml') && parts.length >= 3;
}

/** A Collection v3 file: a request or a folder's definition in a spec's collection, or an environment. */
function isV3FileName(fileName: string): boolean {
  if (fileName.startsWith(`${POSTMAN_V3_COLLECTIONS_DIR}/`)) {
    return fileName.endsWith('.request.yaml') || fileName.endsWith('/.resources/definition.yaml');
  }
  const environment = `${POSTMAN_V3_ENVIRONMENTS_DIR}/`;
  return (
    fileName.startsWith(environment) &&
    fileName.endsWith(V3_ENVIRONMENT_SUFFIX) &&
    !fileName.slice(environment.length).includes('/')
  );
}

export const OUTPUT_LAYOUT: OutputLayout = {
  specOf(fileName) {
    if (fileName.startsWith(`${BRUNO_DIR}/`)) return fileName.split('/')[1] ?? fileName;
    if (fileName.startsWith(`${POSTMAN_V3_COLLECTIONS_DIR}/`)) return fileName.split('/')[2] ?? fileName;
    const name = fileName.split('/').pop() ?? fileName;
    const dot = name.indexOf('.');
    return dot < 0 ? name : name.slice(0, dot);
  },
  isGenerated(fileName, all) {
    const parts = fileName.split('/');
    if (parts.length > 1) return isBrunoFileName(parts, fileName) || isV3FileName(fileName);
    if (fileName.endsWith(COLLECTION_SUFFIX) || fileName.endsWith(ENVIRONMENT_SUFFIX)) return true;
    // A `<spec>.md` counts only beside its collection: a README of the user's own stays.
    return (
      fileName.endsWith(DOCS_SUFFIX) &&
      all.has(`${fileName.slice(0, -DOCS_SUFFIX.length)}${COLLECTION_SUFFIX}`)
    );
  },
  async isLeftover(_fileName, text) {
    // A request or folder of tokenman's own that the spec no longer has: a "Get token" request of a
    // spec that gained variants (a runner would send it with no variant set), an operation the API
    // document dropped, or the folder of its tag. Its description or its script says whose it is;
    // a request a user wrote in the folder does not.
    const content = await text();
    return (
      content.includes(TOKEN_REQUEST_DOCS_LEAD) ||
      content.includes(`tokenman ${REQUEST_CHECK_ROLE}`) ||
      content.includes(REQUEST_FOLDER_DOCS_LEAD)
    );
  },
};
