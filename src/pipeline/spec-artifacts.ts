import { planSpec } from '../plan/plan-spec.js';
import type { Spec } from '../spec/types.js';
import { type Artifact, generateArtifacts } from '../targets/generate-artifacts.js';

/** Every file a valid spec builds to: planned once, then written out by every target. */
export function specArtifacts(spec: Spec): Artifact[] {
  return generateArtifacts(planSpec(spec));
}
