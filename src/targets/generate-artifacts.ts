import { canonicalJson } from '../emit/canonical-json.js';
import type { Spec, VariantDef } from '../spec/types.js';
import { generateDocs } from './docs/generate-docs.js';
import { generateCollection } from './postman/generate-collection.js';
import { generateEnvironment } from './postman/generate-environment.js';

/** One generated file: its name inside the output folder and its exact bytes. */
export interface Artifact {
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

/** The spec a generated file belongs to: a spec id has no dot, so it is the name up to the first one. */
export function specIdOfFileName(fileName: string): string {
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

/** The collection, one environment per variant and the curl/HTTPie docs of a spec, deterministic. */
export function generateArtifacts(spec: Spec): Artifact[] {
  return [
    { fileName: collectionFileName(spec), content: canonicalJson(generateCollection(spec)) },
    ...spec.variants.map((variant) => ({
      fileName: environmentFileName(spec, variant),
      content: canonicalJson(generateEnvironment(spec, variant)),
    })),
    // For people who are not in Postman: the same requests as curl and HTTPie commands.
    { fileName: `${spec.id}${DOCS_SUFFIX}`, content: generateDocs(spec) },
  ];
}
