import { canonicalJson } from '../emit/canonical-json.js';
import type { Spec, VariantDef } from '../spec/types.js';
import { generateCollection } from './generate-collection.js';
import { generateEnvironment } from './generate-environment.js';

/** One generated file: its name inside the output folder and its exact bytes. */
export interface Artifact {
  fileName: string;
  content: string;
}

export const COLLECTION_SUFFIX = '.postman_collection.json';
export const ENVIRONMENT_SUFFIX = '.postman_environment.json';

export function collectionFileName(spec: Spec): string {
  return `${spec.id}${COLLECTION_SUFFIX}`;
}

export function environmentFileName(spec: Spec, variant: VariantDef): string {
  return variant.key ? `${spec.id}.${variant.key}${ENVIRONMENT_SUFFIX}` : `${spec.id}${ENVIRONMENT_SUFFIX}`;
}

/** Whether a file in the output folder is one tokenman writes (and so may replace or prune). */
export function isGeneratedFileName(fileName: string): boolean {
  return fileName.endsWith(COLLECTION_SUFFIX) || fileName.endsWith(ENVIRONMENT_SUFFIX);
}

/** The collection and one environment per variant of a spec, as deterministic JSON text. */
export function generateArtifacts(spec: Spec): Artifact[] {
  return [
    { fileName: collectionFileName(spec), content: canonicalJson(generateCollection(spec)) },
    ...spec.variants.map((variant) => ({
      fileName: environmentFileName(spec, variant),
      content: canonicalJson(generateEnvironment(spec, variant)),
    })),
  ];
}
