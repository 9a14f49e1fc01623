import { variablesUsedBy } from '../../plan/variables-used.js';
import { TOKEN_VARIABLES } from '../../spec/reserved-variables.js';
import type { Spec, VariantDef } from '../../spec/types.js';
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

export function environmentName(spec: Spec, variant: VariantDef): string {
  return variant.key ? `${spec.name} (${variant.name})` : spec.name;
}

/**
 * One environment for one variant: every variable its requests use, with the vendor's default where
 * there is one. Secrets are typed secret and never given a value; the token variables start empty.
 */
export function generateEnvironment(spec: Spec, variant: VariantDef): EnvironmentJson {
  const byName = new Map(spec.variables.map((v) => [v.name, v]));
  const values: EnvironmentValue[] = variablesUsedBy(spec, variant).map((name) => {
    const secret = byName.get(name)?.secret === true;
    return {
      key: name,
      value: secret ? '' : (variant.defaults[name] ?? ''),
      type: secret ? 'secret' : 'default',
      enabled: true,
    };
  });
  const tokenValue = (key: string, type: EnvironmentValue['type']): EnvironmentValue => ({
    key,
    value: '',
    type,
    enabled: true,
  });
  if (variant.key) {
    values.push({ key: TOKEN_VARIABLES.variant, value: variant.key, type: 'default', enabled: true });
  }
  values.push(
    tokenValue(TOKEN_VARIABLES.token, 'secret'),
    tokenValue(TOKEN_VARIABLES.expiresAt, 'default'),
    tokenValue(TOKEN_VARIABLES.renewAt, 'default'),
  );
  if (variant.token.refresh) values.push(tokenValue(TOKEN_VARIABLES.refresh, 'secret'));
  // The token endpoint the script reads by OpenID Connect discovery, and the document it came from.
  if (variant.token.discovery) {
    values.push(
      tokenValue(TOKEN_VARIABLES.endpoint, 'default'),
      tokenValue(TOKEN_VARIABLES.discovery, 'default'),
    );
  }
  return {
    id: stableId(spec.id, 'environment', variant.key),
    name: environmentName(spec, variant),
    values,
    _postman_variable_scope: 'environment',
  };
}
