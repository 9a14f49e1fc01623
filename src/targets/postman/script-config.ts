import { planTokenRequest, type SignerFamily, secretVariables } from '../../plan/token-plan.js';
import { TOKEN_VARIABLES } from '../../spec/reserved-variables.js';
import type { PreStepDef, Spec, TokenRequestDef, VariantDef } from '../../spec/types.js';

/** The one JSON value the token script receives; its shape is what src/targets/postman/token-script.js reads. */
export interface TokenScriptConfig {
  name: string;
  /** The variables the script keeps its state in. */
  names: typeof TOKEN_VARIABLES;
  /** Secret variables, whose values the script blanks out of any message it reports. */
  secrets: string[];
  defaultVariant: string;
  /** Per variant: its token settings, the variables it needs, and the signer bundle its assertion needs. */
  variants: Record<string, { token: TokenRequestDef; required: string[]; signer: SignerFamily | null }>;
  /** Item id of each variant's "Get token" request → variant key. */
  tokenRequests: Record<string, string>;
  preSteps: PreStepDef[];
  /** Item id of each example request → the exact status it answers with when the token is good, or null for any 2xx. */
  expectedStatus: Record<string, number | null>;
}

export interface ItemIds {
  tokenRequest(variant: VariantDef): string;
  apiRequest(index: number): string;
}

export function buildScriptConfig(spec: Spec, ids: ItemIds): TokenScriptConfig {
  const variants: TokenScriptConfig['variants'] = {};
  const tokenRequests: Record<string, string> = {};
  for (const variant of spec.variants) {
    const plan = planTokenRequest(spec, variant);
    variants[variant.key] = { token: variant.token, required: plan.required, signer: plan.signer };
    tokenRequests[ids.tokenRequest(variant)] = variant.key;
  }
  const expectedStatus: Record<string, number | null> = {};
  spec.requests.forEach((request, index) => {
    expectedStatus[ids.apiRequest(index)] = request.expect;
  });
  const first = spec.variants[0];
  if (!first) throw new Error(`spec ${spec.id} has no variant`);
  return {
    name: spec.name,
    names: TOKEN_VARIABLES,
    secrets: secretVariables(spec),
    defaultVariant: first.key,
    variants,
    tokenRequests,
    preSteps: spec.preSteps.map((step) => ({ ...step })),
    expectedStatus,
  };
}

/** The signer bundles a collection's pre-request script carries: each family its variants sign with, once. */
export function signerFamilies(config: TokenScriptConfig): SignerFamily[] {
  const families = Object.values(config.variants).flatMap((v) => (v.signer ? [v.signer] : []));
  return [...new Set(families)].sort();
}
