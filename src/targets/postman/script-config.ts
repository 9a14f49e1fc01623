import {
  type DiscoveryPlan,
  planTokenRequest,
  type SignerFamily,
  secretVariables,
} from '../../plan/token-plan.js';
import { TOKEN_VARIABLES } from '../../spec/reserved-variables.js';
import type { ApiRequestDef, PreStepDef, Spec, TokenRequestDef, VariantDef } from '../../spec/types.js';

/**
 * The one JSON value the collection's pre-request script receives; its shape is what
 * tokenmanBeforeRequest in src/targets/postman/token-script.js reads.
 */
export interface BeforeRequestConfig {
  name: string;
  /** The variables the script keeps its state in. */
  names: typeof TOKEN_VARIABLES;
  /** Secret variables, whose values the script blanks out of any message it reports. */
  secrets: string[];
  defaultVariant: string;
  /**
   * Per variant: its token settings, the variables it needs, the signer bundle its assertion needs,
   * where its token URL is read from (null when the spec gives it) and the pre-steps it runs.
   */
  variants: Record<
    string,
    {
      token: ScriptTokenDef;
      required: string[];
      signer: SignerFamily | null;
      discovery: DiscoveryPlan | null;
      preSteps: PreStepDef[];
    }
  >;
  /** Item id of each variant's "Get token" request → variant key. */
  tokenRequests: Record<string, string>;
}

/**
 * A variant's token settings as the script gets them: without the client certificate, which the
 * runner presents in the TLS handshake (Postman's Settings → Certificates, Newman's client
 * certificate list) and the script never sees.
 */
export type ScriptTokenDef = Omit<TokenRequestDef, 'clientCertificate'>;

/** The token settings reading a token answer needs, and no more: a changed URL stays out of it. */
export type TokenAnswerSettings = Pick<
  TokenRequestDef,
  'tokenPath' | 'expiresInPath' | 'fallbackLifetime' | 'skew' | 'refresh' | 'clientAuth'
>;

/** What the test script of a "Get token" request receives (tokenmanCheckTokenAnswer). */
export interface TokenAnswerConfig {
  name: string;
  names: typeof TOKEN_VARIABLES;
  secrets: string[];
  token: TokenAnswerSettings;
}

/** What the test script of an example request receives: its status with a good token, null for any 2xx. */
export interface ExampleAnswerConfig {
  expectedStatus: number | null;
}

/** The data of any script tokenman writes (the library exports this name). */
export type TokenScriptConfig = BeforeRequestConfig | TokenAnswerConfig | ExampleAnswerConfig;

export interface ItemIds {
  tokenRequest(variant: VariantDef): string;
  apiRequest(index: number): string;
}

export function buildScriptConfig(spec: Spec, ids: ItemIds): BeforeRequestConfig {
  const variants: BeforeRequestConfig['variants'] = {};
  const tokenRequests: Record<string, string> = {};
  for (const variant of spec.variants) {
    const plan = planTokenRequest(spec, variant);
    const { clientCertificate: _forTheRunner, ...token } = variant.token;
    variants[variant.key] = {
      token,
      required: plan.required,
      signer: plan.signer,
      discovery: plan.discovery,
      preSteps: plan.preSteps.map((step) => ({ ...step })),
    };
    tokenRequests[ids.tokenRequest(variant)] = variant.key;
  }
  const first = spec.variants[0];
  if (!first) throw new Error(`spec ${spec.id} has no variant`);
  return {
    name: spec.name,
    names: TOKEN_VARIABLES,
    secrets: secretVariables(spec),
    defaultVariant: first.key,
    variants,
    tokenRequests,
  };
}

export function tokenAnswerConfig(spec: Spec, variant: VariantDef): TokenAnswerConfig {
  const { tokenPath, expiresInPath, fallbackLifetime, skew, refresh, clientAuth } = variant.token;
  return {
    name: spec.name,
    names: TOKEN_VARIABLES,
    secrets: secretVariables(spec),
    // clientAuth: a refusal of a certificate-authenticated client says what to check.
    token: { tokenPath, expiresInPath, fallbackLifetime, skew, refresh, clientAuth },
  };
}

export function exampleAnswerConfig(request: ApiRequestDef): ExampleAnswerConfig {
  return { expectedStatus: request.expect };
}
