import type { Spec, VariantDef } from '../spec/types.js';
import { BRUNO_DIR } from './bruno/bruno-paths.js';
import { generateBrunoArtifacts } from './bruno/generate-bruno.js';
import { canonicalJson } from './canonical-json.js';
import { generateDocs } from './docs/generate-docs.js';
import { generateCollection } from './postman/generate-collection.js';
import { generateEnvironment } from './postman/generate-environment.js';

/** One generated file: its name inside the output folder and its exact bytes. */
export interface Artifact {
  /** Relative to the output folder, `/`-separated: `bruno/<spec>/…` files live in a folder per spec. */
  fileName: string;
  content: string;
}

export const COLLECTION_SUFFIX = '.postman_collection.json';
export const ENVIRONMENT_SUFFIX = '.postman_environment.json';
export const DOCS_SUFFIX = '.md';

export function collectionFileName(spec: Spec): string {
  return `${spec.id}${COLLECTION_SUFFIX}`;
}

export function environmentFileName(spec: Spec, variant: VariantDef): string {
  return variant.key ? `${spec.id}.${variant.key}${ENVIRONMENT_SUFFIX}` : `${spec.id}${ENVIRONMENT_SUFFIX}`;
}

/**
 * The spec a generated file belongs to: the folder under `bruno/`, else the name up to the first
 * dot (a spec id has none).
 */
export function specIdOfFileName(fileName: string): string {
  if (fileName.startsWith(`${BRUNO_DIR}/`)) return fileName.split('/')[1] ?? fileName;
  const dot = fileName.indexOf('.');
  return dot < 0 ? fileName : fileName.slice(0, dot);
}

/**
 * Whether a file in the output folder is one tokenman writes (and so may replace or prune), given
 * every name in the folder: a `<spec>.md` counts only beside its `<spec>.postman_collection.json`,
 * so a README of the user's own in the folder is never removed.
 */
export function isGeneratedFileName(fileName: string, folder: ReadonlySet<string>): boolean {
  if (fileName.endsWith(COLLECTION_SUFFIX) || fileName.endsWith(ENVIRONMENT_SUFFIX)) return true;
  return (
    fileName.endsWith(DOCS_SUFFIX) &&
    folder.has(`${fileName.slice(0, -DOCS_SUFFIX.length)}${COLLECTION_SUFFIX}`)
  );
}

/**
 * The Postman collection, one environment per variant, the curl/HTTPie docs and the Bruno collection
 * of a spec, deterministic. The Bruno files come last, so the Postman files keep their places.
 */
export function generateArtifacts(spec: Spec): Artifact[] {
  return [
    { fileName: collectionFileName(spec), content: canonicalJson(generateCollection(spec)) },
    ...spec.variants.map((variant) => ({
      fileName: environmentFileName(spec, variant),
      content: canonicalJson(generateEnvironment(spec, variant)),
    })),
    // For people who are not in Postman: the same requests as curl and HTTPie commands.
    { fileName: `${spec.id}${DOCS_SUFFIX}`, content: generateDocs(spec) },
    // For people in Bruno: a native collection in a folder of its own, bruno/<spec>/.
    ...generateBrunoArtifacts(spec),
  ];
}
