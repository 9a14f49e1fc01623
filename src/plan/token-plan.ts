// The plan stage: what a variant's token request is, worked out once from the spec, with no client
// in it. Every target (the Postman collection and its script config, the Bruno collection, the
// curl/HTTPie docs) reads the same plan, so a parameter's order, a header or a default lives here
// and nowhere else.
import { TOKEN_VARIABLES } from '../spec/reserved-variables.js';
import { templateVariables } from '../spec/template.js';
import type { BasicEncoding, BodyEncoding, Grant, PreStepDef, Spec, VariantDef } from '../spec/types.js';
import { tokenTemplateFields } from './token-templates.js';

export type Pair = [name: string, template: string];

/** How the client proves who it is: the Basic header, parameters in the body, or nothing (public). */
export type ClientAuthPlan =
  | { kind: 'basic'; encoding: BasicEncoding; id: string; secret: string }
  | { kind: 'body' }
  | { kind: 'none' };

export interface TokenPlan {
  specId: string;
  specName: string;
  /** The key under `variants:`, or '' for a spec without variants. */
  variant: string;
  variantName: string;
  grant: Grant;
  method: 'GET' | 'POST';
  /** The token URL as a template, without the query parameters of the `query` encoding. */
  url: string;
  encoding: BodyEncoding;
  /** The grant's parameters in the order the vendors document them, as templates. */
  params: Pair[];
  /**
   * The parameters of the refresh_token grant that renews this variant's token, with the refresh
   * token read from the `RefreshToken` variable; empty when the spec turns refresh off.
   */
  refreshParams: Pair[];
  /** Accept (unless the spec sends its own), the spec's headers, then the encoding's Content-Type. */
  headers: Pair[];
  /** The same without the encoding's Content-Type, for a client that sets it itself (HTTPie). */
  acceptAndOwnHeaders: Pair[];
  clientAuth: ClientAuthPlan;
  /** Requests that must run first (API Connect's realm discovery). */
  preSteps: PreStepDef[];
  /** Where the answer holds the token and its lifetime, and how long to trust it. */
  response: {
    tokenPath: string;
    expiresInPath: string;
    fallbackLifetime: number;
    skew: number;
  };
  retryAfter: number;
  refresh: boolean;
  insecure: boolean;
  /** Variables that must have a value before the token request is sent. */
  required: string[];
  /** Secret variables: never given a value in generated files, blanked out of every message. */
  secrets: string[];
}

/** JSON, what the script reads and what a spec's JSON bodies are sent as. */
export const JSON_MEDIA_TYPE = 'application/json';

/** The media type each encoding sends; the query encoding and form-data (boundary) set none here. */
export const CONTENT_TYPES: Readonly<Record<BodyEncoding, string | undefined>> = {
  urlencoded: 'application/x-www-form-urlencoded',
  json: JSON_MEDIA_TYPE,
  'form-data': undefined,
  query: undefined,
};

/** What tokenman asks for unless the spec says otherwise: the script reads JSON. */
export const DEFAULT_ACCEPT = JSON_MEDIA_TYPE;

type TokenDef = VariantDef['token'];

/**
 * The parameters of a grant, in the order the vendors document them. The token script builds the
 * same list at run time (tokenmanGrantParams); test/targets/postman/token-request-matches-script.test.ts
 * keeps the two in step.
 */
export function grantParams(token: TokenDef): Pair[] {
  const params: Pair[] = [['grant_type', token.grant]];
  if (token.grant === 'password') params.push(['username', token.username], ['password', token.password]);
  if (token.grant === 'refresh_token') params.push(['refresh_token', token.refreshToken]);
  if (token.clientAuth !== 'basic') params.push(['client_id', token.clientId]);
  if (token.clientAuth === 'body') params.push(['client_secret', token.clientSecret]);
  if (token.scope) params.push(['scope', token.scope]);
  return [...params, ...token.params];
}

/** `Accept: application/json` unless the spec sends an Accept of its own, then the spec's headers. */
export function acceptAndOwnHeaders(token: TokenDef): Pair[] {
  const ownAccept = token.headers.some(([key]) => key.toLowerCase() === 'accept');
  return ownAccept ? [...token.headers] : [['Accept', DEFAULT_ACCEPT], ...token.headers];
}

/** The headers of a token request: Accept, the spec's own, and the content type of its encoding. */
export function tokenRequestHeaders(token: TokenDef): Pair[] {
  const headers = acceptAndOwnHeaders(token);
  const contentType = CONTENT_TYPES[token.encoding];
  if (contentType) headers.push(['Content-Type', contentType]);
  return headers;
}

/** The variables a variant's token request cannot do without (checked before anything is sent). */
export function requiredTokenVariables(spec: Spec, token: TokenDef): string[] {
  // The refresh token is tokenman's own, kept from an earlier answer; a user and password are sent
  // by the password grant only.
  const unchecked = new Set([
    'refreshToken',
    ...(token.grant === 'password' ? [] : ['username', 'password']),
  ]);
  const fields = tokenTemplateFields(token).filter(([[field]]) => !unchecked.has(field));
  const optional = new Set(spec.variables.filter((v) => v.optional).map((v) => v.name));
  const names = fields.flatMap(([, template]) => templateVariables(template));
  return [...new Set(names)].filter((name) => !optional.has(name));
}

/** The spec's secret variables, in declaration order. */
export function secretVariables(spec: Spec): string[] {
  return spec.variables.filter((v) => v.secret).map((v) => v.name);
}

function clientAuthPlan(token: TokenDef): ClientAuthPlan {
  if (token.clientAuth === 'basic')
    return { kind: 'basic', encoding: token.basicEncoding, id: token.clientId, secret: token.clientSecret };
  return { kind: token.clientAuth };
}

/** The plan of one variant's token request. */
export function planTokenRequest(spec: Spec, variant: VariantDef): TokenPlan {
  const { token } = variant;
  return {
    specId: spec.id,
    specName: spec.name,
    variant: variant.key,
    variantName: variant.name,
    grant: token.grant,
    method: token.method,
    url: token.url,
    encoding: token.encoding,
    params: grantParams(token),
    refreshParams: token.refresh
      ? grantParams({ ...token, grant: 'refresh_token', refreshToken: `{{${TOKEN_VARIABLES.refresh}}}` })
      : [],
    headers: tokenRequestHeaders(token),
    acceptAndOwnHeaders: acceptAndOwnHeaders(token),
    clientAuth: clientAuthPlan(token),
    preSteps: spec.preSteps,
    response: {
      tokenPath: token.tokenPath,
      expiresInPath: token.expiresInPath,
      fallbackLifetime: token.fallbackLifetime,
      skew: token.skew,
    },
    retryAfter: token.retryAfter,
    refresh: token.refresh,
    insecure: token.insecure,
    required: requiredTokenVariables(spec, token),
    secrets: secretVariables(spec),
  };
}

/** The plans of every variant of a spec, in the spec's order. */
export function planTokenRequests(spec: Spec): TokenPlan[] {
  return spec.variants.map((variant) => planTokenRequest(spec, variant));
}
