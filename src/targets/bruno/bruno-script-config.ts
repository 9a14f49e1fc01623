import type { TokenPlan } from '../../plan/token-plan.js';
import { TOKEN_VARIABLES } from '../../spec/reserved-variables.js';
import type { Spec } from '../../spec/types.js';
import type { BrunoScriptConfig } from './bruno-token-script-source.js';

/** How long the script waits for a token or pre-step answer: Newman's default in tokenman verify. */
export const TOKEN_REQUEST_TIMEOUT_MS = 30_000;

/**
 * The Bruno script's JSON value, from the spec's token plans (one per variant). Requests are known
 * by name, which is what the script can ask Bruno for (req.getName()).
 */
export function buildBrunoScriptConfig(
  spec: Spec,
  plans: TokenPlan[],
  tokenRequestName: (plan: TokenPlan) => string,
): BrunoScriptConfig {
  const first = plans[0];
  if (!first) throw new Error(`spec ${spec.id} has no variant`);
  const variants: BrunoScriptConfig['variants'] = {};
  const tokenRequests: Record<string, string> = {};
  for (const plan of plans) {
    variants[plan.variant] = {
      method: plan.method,
      url: plan.url,
      discovery: plan.discovery,
      encoding: plan.encoding,
      params: plan.params,
      refreshParams: plan.refreshParams,
      headers: plan.headers,
      clientAuth: plan.clientAuth,
      response: plan.response,
      retryAfter: plan.retryAfter,
      refresh: plan.refresh,
      required: plan.required,
      assertion: plan.assertion,
      signer: plan.signer,
      preSteps: plan.preSteps,
    };
    tokenRequests[tokenRequestName(plan)] = plan.variant;
  }
  const expectedStatus: Record<string, number | null> = {};
  for (const request of spec.requests) expectedStatus[request.name] = request.expect;
  return {
    name: spec.name,
    names: TOKEN_VARIABLES,
    secrets: first.secrets,
    defaultVariant: first.variant,
    timeout: TOKEN_REQUEST_TIMEOUT_MS,
    variants,
    tokenRequests,
    expectedStatus,
  };
}
