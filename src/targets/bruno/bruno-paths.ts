import type { Plan, VariantPlan } from '../../plan/plan-spec.js';

// Where the Bruno target's files live inside the output folder: one folder per spec, because
// `bru run` takes a collection from the folder it is started in.

/** The folder under the output folder that holds every Bruno collection. */
export const BRUNO_DIR = 'bruno';
export const BRUNO_COLLECTION_FILE = 'opencollection.yml';
export const BRUNO_ENVIRONMENTS_DIR = 'environments';
/** A folder's own file: its name, order and scripts. */
export const BRUNO_FOLDER_FILE = 'folder.yml';

/**
 * A spec with one variant has its "Get token" request in `get-token.yml` (in `get-token/get-token.yml`
 * when its collection has folders of requests, which Bruno runs first); one with several has them
 * in the folder `get-token/`, one file a variant.
 */
export const BRUNO_TOKEN_REQUEST_STEM = 'get-token';

/** `bruno/<spec>`, relative to the output folder. */
export function brunoCollectionDir(plan: Pick<Plan, 'id'>): string {
  return `${BRUNO_DIR}/${plan.id}`;
}

/** What `bru run --env <name>` takes: the variant's key, or the spec's id for a spec without variants. */
export function brunoEnvironmentName(plan: Pick<Plan, 'id'>, variant: Pick<VariantPlan, 'key'>): string {
  return variant.key || plan.id;
}
