// What a variant's environment holds: every variable its requests use (an API document's path
// parameters each once, empty for the user to fill), with the vendor's default where there is
// one, and the variables the token script keeps its state in. Postman's environment file holds
// them all; a client that keeps the state elsewhere (Bruno's runtime variables) leaves the state
// out.
import { TOKEN_VARIABLES } from '../spec/reserved-variables.js';
import type { Spec, VariantDef } from '../spec/types.js';
import { allVariables, variablesUsedBy } from './variables-used.js';

export interface EnvironmentValuePlan {
  name: string;
  /** The default; always '' for a secret, which no generated file ever holds. */
  value: string;
  secret: boolean;
  /** A variable of the spec's (or its API's), the variant's own TokenVariant, or one of the script's state. */
  kind: 'declared' | 'variant' | 'state';
}

export interface EnvironmentPlan {
  /** `<spec name>`, or `<spec name> (<variant name>)` when a spec has several. */
  name: string;
  values: EnvironmentValuePlan[];
}

/** The name of a variant's environment, as a user picks it in a client. */
export function environmentName(spec: Pick<Spec, 'name'>, variant: Pick<VariantDef, 'key' | 'name'>): string {
  return variant.key ? `${spec.name} (${variant.name})` : spec.name;
}

export function planEnvironment(spec: Spec, variant: VariantDef): EnvironmentPlan {
  const byName = new Map(allVariables(spec).map((v) => [v.name, v]));
  const values: EnvironmentValuePlan[] = variablesUsedBy(spec, variant).map((name) => {
    const variable = byName.get(name);
    const secret = variable?.secret === true;
    // An API's variable has no variant default: its own (ApiUrl's server, '' for a path parameter).
    const value = secret ? '' : (variant.defaults[name] ?? variable?.default ?? '');
    return { name, value, secret, kind: 'declared' };
  });
  if (variant.key)
    values.push({ name: TOKEN_VARIABLES.variant, value: variant.key, secret: false, kind: 'variant' });
  const state = (name: string, secret = false): EnvironmentValuePlan => ({
    name,
    value: '',
    secret,
    kind: 'state',
  });
  values.push(
    state(TOKEN_VARIABLES.token, true),
    state(TOKEN_VARIABLES.expiresAt),
    state(TOKEN_VARIABLES.renewAt),
  );
  if (variant.token.refresh) values.push(state(TOKEN_VARIABLES.refresh, true));
  // The token endpoint the script reads by OpenID Connect discovery, and the document it came from.
  if (variant.token.discovery) values.push(state(TOKEN_VARIABLES.endpoint), state(TOKEN_VARIABLES.discovery));
  return { name: environmentName(spec, variant), values };
}
