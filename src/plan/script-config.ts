// The one JSON value a spec's token script gets, from its variants' token plans: the same value in
// every client's script (src/sandbox/types.ts says its shape).
import type { ScriptConfig, SpecScriptData, TokenAnswerConfig, VariantScript } from '../sandbox/types.js';
import { TOKEN_VARIABLES } from '../spec/reserved-variables.js';
import type { TokenPlan } from './token-plan.js';

/** How long the script waits for a token or pre-step answer where a client lets it say (Bruno). */
export const TOKEN_REQUEST_TIMEOUT_MS = 30_000;

/** What the script needs of a variant's token plan, and no more. */
function variantScript(token: TokenPlan): VariantScript {
  return {
    method: token.method,
    url: token.url,
    discovery: token.discovery,
    encoding: token.encoding,
    params: token.params,
    refreshParams: token.refreshParams,
    headers: token.headers,
    clientAuth: token.clientAuth,
    assertion: token.assertion,
    signer: token.signer,
    preSteps: token.preSteps,
    response: token.response,
    retryAfter: token.retryAfter,
    refresh: token.refresh,
    required: token.required,
  };
}

/** Each "Get token" request's name → its variant's key. */
function byRequestName(tokens: TokenPlan[], names: string[]): Record<string, string> {
  return Object.fromEntries(tokens.map((token, index) => [names[index] ?? '', token.variant]));
}

function firstOf(tokens: TokenPlan[]): TokenPlan {
  const first = tokens[0];
  if (!first) throw new Error('a spec has at least one variant');
  return first;
}

/** What both scripts' data say of the spec: its name, secrets, first variant, "Get token" requests. */
function specScriptData(name: string, tokens: TokenPlan[], tokenRequestNames: string[]): SpecScriptData {
  const first = firstOf(tokens);
  return {
    name,
    names: TOKEN_VARIABLES,
    secrets: first.secrets,
    defaultVariant: first.variant,
    tokenRequests: byRequestName(tokens, tokenRequestNames),
  };
}

/** The token script's data: every variant's token request, by variant key. */
export function scriptConfig(name: string, tokens: TokenPlan[], tokenRequestNames: string[]): ScriptConfig {
  // tokenRequests last, where the scripts have always carried it.
  const { tokenRequests, ...spec } = specScriptData(name, tokens, tokenRequestNames);
  return {
    ...spec,
    timeout: TOKEN_REQUEST_TIMEOUT_MS,
    variants: Object.fromEntries(tokens.map((token) => [token.variant, variantScript(token)])),
    tokenRequests,
  };
}

/** What the checks of the "Get token" requests read: how each variant's answer is read. */
export function tokenAnswerConfig(
  name: string,
  tokens: TokenPlan[],
  tokenRequestNames: string[],
): TokenAnswerConfig {
  return {
    ...specScriptData(name, tokens, tokenRequestNames),
    variants: Object.fromEntries(
      tokens.map((token) => [
        token.variant,
        { response: token.response, refresh: token.refresh, clientAuth: token.clientAuth.kind },
      ]),
    ),
  };
}
