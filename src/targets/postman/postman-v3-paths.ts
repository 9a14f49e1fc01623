import type { Plan, VariantPlan } from '../../plan/plan-spec.js';

// Where the Collection v3 files stand in the output folder: the layout of a local Postman
// workspace (`postman/collections/`, `postman/environments/`), so the output folder opens in the
// Postman app as one, every spec's collection and environments in it.

export const POSTMAN_V3_DIR = 'postman';
export const POSTMAN_V3_COLLECTIONS_DIR = `${POSTMAN_V3_DIR}/collections`;
export const POSTMAN_V3_ENVIRONMENTS_DIR = `${POSTMAN_V3_DIR}/environments`;
export const V3_ENVIRONMENT_SUFFIX = '.environment.yaml';

/** `postman/collections/<spec>`, the v3 collection's folder, relative to the output folder. */
export function v3CollectionDir(plan: Pick<Plan, 'id'>): string {
  return `${POSTMAN_V3_COLLECTIONS_DIR}/${plan.id}`;
}

/** `<spec>[.<variant>].environment.yaml`, named as the v2.1 environment is. */
export function v3EnvironmentFileName(plan: Pick<Plan, 'id'>, variant: Pick<VariantPlan, 'key'>): string {
  return variant.key
    ? `${plan.id}.${variant.key}${V3_ENVIRONMENT_SUFFIX}`
    : `${plan.id}${V3_ENVIRONMENT_SUFFIX}`;
}
