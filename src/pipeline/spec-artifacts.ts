import { planSpec } from '../plan/plan-spec.js';
import type { Spec } from '../spec/types.js';
import { canonicalJson } from '../targets/canonical-json.js';
import { type Artifact, generateArtifacts } from '../targets/generate-artifacts.js';
import { collectionFileName } from '../targets/output-files.js';
import { attachCollection } from '../targets/postman/attach-collection.js';

/** Every file a valid spec builds to: planned once, then written out by every target. */
export function specArtifacts(spec: Spec): Artifact[] {
  const plan = planSpec(spec);
  const artifacts = generateArtifacts(plan);
  const attached = spec.collection;
  if (!attached) return artifacts;
  // With api.collection the Postman collection (v2.1) is the user's own, the token put in; the
  // other clients' files are tokenman's own requests (docs/api.md).
  const fileName = collectionFileName(plan);
  return artifacts.map((artifact) =>
    artifact.fileName === fileName
      ? { fileName, content: canonicalJson(attachCollection(JSON.parse(artifact.content), attached)) }
      : artifact,
  );
}
