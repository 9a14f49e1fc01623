import type { Plan, VariantPlan } from '../../plan/plan-spec.js';
import { stableId } from './stable-id.js';

export interface EnvironmentValue {
  key: string;
  value: string;
  type: 'default' | 'secret';
  enabled: true;
}

export interface EnvironmentJson {
  id: string;
  name: string;
  values: EnvironmentValue[];
  _postman_variable_scope: 'environment';
}

/**
 * One environment for one variant, as Postman exports it: every variable its requests use with the
 * vendor's default where there is one, secrets typed secret and never given a value, and the
 * variables the token script keeps its state in, empty.
 */
export function generateEnvironment(plan: Pick<Plan, 'id'>, variant: VariantPlan): EnvironmentJson {
  return {
    id: stableId(plan.id, 'environment', variant.key),
    name: variant.environment.name,
    values: variant.environment.values.map((entry) => ({
      key: entry.name,
      value: entry.value,
      type: entry.secret ? 'secret' : 'default',
      enabled: true,
    })),
    _postman_variable_scope: 'environment',
  };
}
