// The plan stage: what a variant's token request is, worked out once from the spec, with no client
// in it. Every target (the Postman collection and its script config, the Bruno collection, the
// curl/HTTPie docs) reads the same plan, so a parameter's order, a header or a default lives here
// and nowhere else.
import type {
  AssertionPlan,
  BodyEncoding,
  ClientAuthPlan,
  DiscoveryPlan,
  PreStep,
  SignerFamily,
} from '../sandbox/types.js';
import { TOKEN_VARIABLES } from '../spec/reserved-variables.js';
import { templateVariables } from '../spec/template.js';
import { grantParams, isAssertionClientAuth, type Pair } from '../spec/token-params.js';
import { tokenTemplateFields } from '../spec/token-templates.js';
import {
  type Grant,
  JWT_BEARER_GRANT,
  type JwtAlgorithm,
  type Spec,
  TOKEN_EXCHANGE_GRANT,
  type VariantDef,
} from '../spec/types.js';
import { preStepsOf } from './variables-used.js';

export type { AssertionPlan, ClientAuthPlan, DiscoveryPlan, Pair, SignerFamily };

/** The signer bundle a collection carries (src/sandbox/signer): one per algorithm family. */
export const SIGNER_FAMILIES: Readonly<Record<JwtAlgorithm, SignerFamily>> = {
  RS256: 'rsa',
  PS256: 'rsa',
  ES256: 'ec',
  HS256: 'hmac',
};

/** The field of a discovery document that names the token endpoint (OpenID Connect Discovery 1.0 §3). */
export const TOKEN_ENDPOINT_FIELD = 'token_endpoint';

/**
 * Where a discovery document holds the token URL a variant sends to: with clientAuth tls, the
 * mTLS alias first (RFC 8705 §5), which a server lists when its mTLS endpoints are elsewhere.
 */
export function discoveryPlan(token: TokenDef): DiscoveryPlan | null {
  if (!token.discovery) return null;
  const fields =
    token.clientAuth === 'tls'
      ? [`mtls_endpoint_aliases.${TOKEN_ENDPOINT_FIELD}`, TOKEN_ENDPOINT_FIELD]
      : [TOKEN_ENDPOINT_FIELD];
  return { url: token.discovery, fields };
}

export interface TokenPlan {
  specId: string;
  specName: string;
  /** The key under `variants:`, or '' for a spec without variants. */
  variant: string;
  variantName: string;
  grant: Grant;
  method: 'GET' | 'POST';
  /**
   * The token URL as a template, without the query parameters of the `query` encoding;
   * `{{TokenEndpoint}}` with discovery.
   */
  url: string;
  /** Where the token URL is read from before the token request; null when the spec gives url. */
  discovery: DiscoveryPlan | null;
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
  /** The JWT sent as client_assertion or assertion; null when the request carries none. */
  assertion: AssertionPlan | null;
  /** The signer bundle the script needs for it; null when nothing is signed. */
  signer: SignerFamily | null;
  /** Requests that must run first (API Connect's realm discovery). */
  preSteps: PreStep[];
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

function assertionPlan(token: TokenDef): AssertionPlan | null {
  if (token.assertion === null) return null;
  if (token.grant === JWT_BEARER_GRANT) return { ...token.assertion, param: 'assertion' };
  if (isAssertionClientAuth(token.clientAuth)) return { ...token.assertion, param: 'client_assertion' };
  return null;
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

/** Token fields a variant may set but sends only with some grants or client authentications. */
function grantSends(token: TokenDef): Partial<Record<string, boolean>> {
  return {
    username: token.grant === 'password',
    password: token.grant === 'password',
    // tls and private_key_jwt send no secret, and a spec may still set one for another variant.
    clientSecret:
      token.clientAuth === 'basic' || token.clientAuth === 'body' || token.clientAuth === 'client_secret_jwt',
    subjectToken: token.grant === TOKEN_EXCHANGE_GRANT,
    apiKey: token.grant === 'api_key',
  };
}

/** The variables a variant's token request cannot do without (checked before anything is sent). */
export function requiredTokenVariables(spec: Spec, token: TokenDef): string[] {
  // The refresh token is tokenman's own, kept from an earlier answer. Every other field is checked
  // only where this variant's grant and client authentication send it.
  const sends = grantSends(token);
  const fields = tokenTemplateFields({ ...token, assertion: assertionPlan(token) }).filter(
    ([[field]]) => field !== 'refreshToken' && (sends[field] ?? true),
  );
  const optional = new Set(spec.variables.filter((v) => v.optional).map((v) => v.name));
  // The token endpoint read by discovery is the script's to fill, never the user's.
  optional.add(TOKEN_VARIABLES.endpoint);
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
  const assertion = assertionPlan(token);
  return {
    specId: spec.id,
    specName: spec.name,
    variant: variant.key,
    variantName: variant.name,
    grant: token.grant,
    method: token.method,
    url: token.url,
    discovery: discoveryPlan(token),
    encoding: token.encoding,
    params: grantParams(token),
    refreshParams: token.refresh
      ? grantParams({ ...token, grant: 'refresh_token', refreshToken: `{{${TOKEN_VARIABLES.refresh}}}` })
      : [],
    headers: tokenRequestHeaders(token),
    acceptAndOwnHeaders: acceptAndOwnHeaders(token),
    clientAuth: clientAuthPlan(token),
    assertion,
    signer: assertion?.source === 'sign' ? SIGNER_FAMILIES[assertion.alg] : null,
    preSteps: preStepsOf(spec, variant),
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
