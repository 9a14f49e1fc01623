import type { Plan } from '../plan/plan-spec.js';
import type { Artifact } from './artifact.js';
import { generateBrunoArtifacts } from './bruno/generate-bruno.js';
import { canonicalJson } from './canonical-json.js';
import { generateDocs } from './docs/generate-docs.js';
import { collectionFileName, docsFileName, environmentFileName } from './output-files.js';
import { generateCollection } from './postman/generate-collection.js';
import { generateEnvironment } from './postman/generate-environment.js';

export type { Artifact };

/**
 * Every file of a spec's plan, deterministic: the Postman collection, one environment per variant,
 * the curl/HTTPie page and the Bruno collection. The Bruno files come last, so the Postman files
 * keep their places.
 */
export function generateArtifacts(plan: Plan): Artifact[] {
  return [
    { fileName: collectionFileName(plan), content: canonicalJson(generateCollection(plan)) },
    ...plan.variants.map((variant) => ({
      fileName: environmentFileName(plan, variant),
      content: canonicalJson(generateEnvironment(plan, variant)),
    })),
    // For people who are not in Postman: the same requests as curl and HTTPie commands.
    { fileName: docsFileName(plan), content: generateDocs(plan) },
    // For people in Bruno: a native collection in a folder of its own, bruno/<spec>/.
    ...generateBrunoArtifacts(plan),
  ];
}
