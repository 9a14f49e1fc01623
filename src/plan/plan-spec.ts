// The plan of one spec: everything a target writes, worked out once and with no client in it. The
// pipeline plans each spec once and hands the Plan to every target (Postman, Bruno, the curl/HTTPie
// page); a target reads nothing else, so a parameter's order, a request's name, an environment's
// variables or the token script's data live here and nowhere else.
import type { ScriptConfig, TokenAnswerConfig } from '../sandbox/types.js';
import { TOKEN_VARIABLES } from '../spec/reserved-variables.js';
import type { Pair } from '../spec/token-params.js';
import type { Spec, VariableDef } from '../spec/types.js';
import { type EnvironmentPlan, planEnvironment } from './environment-plan.js';
import { planOperations, planRequests, type RequestPlan } from './request-plan.js';
import { scriptConfig, tokenAnswerConfig } from './script-config.js';
import { planTokenRequest, type TokenPlan } from './token-plan.js';
import { allVariables } from './variables-used.js';

export type { EnvironmentPlan, RequestPlan, TokenPlan };

/** A "Get token" request: the token request as a person sends it by hand, to inspect the answer. */
export interface TokenRequestPlan {
  /** The variant it belongs to. */
  variant: string;
  /** `Get token`, or `Get token (<variant name>)` when a spec has several. */
  name: string;
  /** Markdown: what it does, and what the script does to it as it goes out. */
  description: string;
  method: 'GET' | 'POST';
  /** The token URL with, for the query encoding, its parameters as templates. */
  url: string;
  headers: Pair[];
  /** The parameters of a body and how they are encoded; null for the query encoding. */
  body: { encoding: 'urlencoded' | 'form-data' | 'json'; params: Pair[] } | null;
}

export interface VariantPlan {
  /** The key under `variants:`, or '' for a spec without variants. */
  key: string;
  name: string;
  description: string;
  /** Variable defaults of this variant (the spec's, with the variant's over them). */
  defaults: Record<string, string>;
  token: TokenPlan;
  tokenRequest: TokenRequestPlan;
  environment: EnvironmentPlan;
}

export interface Plan {
  /** The spec's id: names every output and seeds every stable id. */
  id: string;
  name: string;
  description: string;
  /** The spec file as a reader of the outputs knows it: `specs/<id>.yaml`. */
  source: string;
  /**
   * The declared variables, in the spec's order, then those its API document brings: ApiUrl for
   * the default base URL, and one per path parameter (empty, for the user to fill).
   */
  variables: VariableDef[];
  variants: VariantPlan[];
  /**
   * The folder that holds the "Get token" requests of a spec with several variants, with the one
   * test script that checks each; null for a spec with one, whose request carries its own.
   */
  tokenFolder: { name: string; description: string } | null;
  /**
   * The requests that use the token, in order: the spec's own, then one per selected operation of
   * its API document, in the document's order (each with its folder).
   */
  requests: RequestPlan[];
  /** The one JSON value of the collection's token script, the same for every client. */
  script: ScriptConfig;
  /** What the checks of the "Get token" requests read. */
  tokenAnswers: TokenAnswerConfig;
}

/**
 * How every "Get token" request's description begins: what tells tokenman's own request file from
 * one a user added under the same kind of name, when a build no longer writes it.
 */
export const TOKEN_REQUEST_DOCS_LEAD = 'Fetches a token by hand';

/**
 * What the test script of every request that uses the token calls itself (`tokenman <role>, built
 * from …`): what tells a request file of tokenman's from one a user added, when a build no longer
 * writes it (an operation the API document dropped).
 */
export const REQUEST_CHECK_ROLE = 'check of an example request';

/** How every folder of requests tokenman writes describes itself, for the same reason. */
export const REQUEST_FOLDER_DOCS_LEAD = 'Requests tokenman builds from';

/** What a folder of requests says about itself. */
export function requestFolderDescription(plan: Pick<Plan, 'source'>): string {
  return `${REQUEST_FOLDER_DOCS_LEAD} \`${plan.source}\`: change the spec and rebuild rather than editing them.`;
}

/** What a "Get token" request says about itself. */
function tokenRequestDescription(spec: Spec, token: TokenPlan): string {
  const lines = [
    `${TOKEN_REQUEST_DOCS_LEAD} with the ${token.grant} grant, so you can inspect it.`,
    `Its test script checks the answer; a good answer also stores \`${TOKEN_VARIABLES.token}\`.`,
    'Every other request gets its token by itself: you never need to send this one first.',
  ];
  if (token.clientAuth.kind === 'basic')
    lines.push('The client id and secret go in the Basic `Authorization` header.');
  if (token.discovery)
    lines.push(
      `Its URL \`{{${TOKEN_VARIABLES.endpoint}}}\` is the token endpoint the collection's script reads from the discovery document \`${token.discovery.url}\` before it is sent.`,
    );
  if (token.assertion?.source === 'sign')
    lines.push(
      `The collection's script signs \`${token.assertion.param}\` (${token.assertion.alg}) when it is sent, so its times are fresh; no file or variable keeps it.`,
    );
  if (spec.variants.length > 1)
    lines.push(`Runs only when \`${TOKEN_VARIABLES.variant}\` is \`${token.variant}\`; skipped otherwise.`);
  return lines.join('\n\n');
}

function planTokenRequestItem(spec: Spec, token: TokenPlan): TokenRequestPlan {
  const query = token.encoding === 'query';
  const url = query
    ? `${token.url}${token.url.includes('?') ? '&' : '?'}${token.params.map(([key, value]) => `${key}=${value}`).join('&')}`
    : token.url;
  return {
    variant: token.variant,
    name: spec.variants.length > 1 ? `Get token (${token.variantName})` : 'Get token',
    description: tokenRequestDescription(spec, token),
    method: token.method,
    url,
    headers: token.headers,
    body: token.encoding === 'query' ? null : { encoding: token.encoding, params: token.params },
  };
}

/** The plan of one spec. */
export function planSpec(spec: Spec): Plan {
  const variants = spec.variants.map((variant): VariantPlan => {
    const token = planTokenRequest(spec, variant);
    return {
      key: variant.key,
      name: variant.name,
      description: variant.description,
      defaults: variant.defaults,
      token,
      tokenRequest: planTokenRequestItem(spec, token),
      environment: planEnvironment(spec, variant),
    };
  });
  const tokens = variants.map((variant) => variant.token);
  const tokenRequestNames = variants.map((variant) => variant.tokenRequest.name);
  return {
    id: spec.id,
    name: spec.name,
    description: spec.description,
    source: `specs/${spec.id}.yaml`,
    variables: allVariables(spec),
    variants,
    tokenFolder:
      variants.length > 1
        ? {
            name: 'Get token',
            description: `${TOKEN_REQUEST_DOCS_LEAD}, one request a variant, so you can inspect it; only the one the environment's \`${TOKEN_VARIABLES.variant}\` names runs, and its answer is checked.`,
          }
        : null,
    requests: [...planRequests(spec), ...planOperations(spec)],
    script: scriptConfig(spec.name, tokens, tokenRequestNames),
    tokenAnswers: tokenAnswerConfig(spec.name, tokens, tokenRequestNames),
  };
}
