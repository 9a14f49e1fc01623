import type { Plan } from '../plan/plan-spec.js';
import type { Artifact } from './artifact.js';
import { generateBrunoArtifacts } from './bruno/generate-bruno.js';
import { canonicalJson } from './canonical-json.js';
import { generateDocs } from './docs/generate-docs.js';
import { collectionFileName, docsFileName, environmentFileName } from './output-files.js';
import { generateCollection } from './postman/generate-collection.js';
import { generateCollectionV3 } from './postman/generate-collection-v3.js';
import { generateEnvironment } from './postman/generate-environment.js';

export type { Artifact };

/**
 * Every file of a spec's plan, deterministic: the Postman collection (v2.1), one environment per
 * variant, the curl/HTTPie page, the Bruno collection and the Postman collection as Collection v3.
 * The v2.1 files come first, in the places they always had. */
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
    // For people who keep collections in Git with the Postman app, and the Postman CLI:
    // postman/collections/<spec>/ and postman/environments/.
    ...generateCollectionV3(plan),
  ];
}
