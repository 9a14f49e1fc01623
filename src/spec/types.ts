// The spec after validation: every default applied, every variant resolved, so no later stage
// needs to know what a spec may leave out. The input shape is spec-input.generated.ts.

export type Grant = 'client_credentials' | 'password' | 'refresh_token';
export type ClientAuth = 'basic' | 'body' | 'none';
export type BasicEncoding = 'raw' | 'rfc6749';
export type BodyEncoding = 'urlencoded' | 'form-data' | 'json' | 'query';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface VariableDef {
  name: string;
  description: string;
  /** The vendor's default; '' when each user has their own value. */
  default: string;
  secret: boolean;
  /** May be empty when the token is fetched; variables without a default are otherwise required. */
  optional: boolean;
}

export interface TokenRequestDef {
  url: string;
  method: 'GET' | 'POST';
  grant: Grant;
  clientAuth: ClientAuth;
  basicEncoding: BasicEncoding;
  encoding: BodyEncoding;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  refreshToken: string;
  scope: string;
  /** Extra grant parameters, in spec order. */
  params: Array<[string, string]>;
  headers: Array<[string, string]>;
  tokenPath: string;
  expiresInPath: string;
  skew: number;
  fallbackLifetime: number;
  /** Seconds a failed token request is not repeated; 0 repeats it every time. */
  retryAfter: number;
  refresh: boolean;
  insecure: boolean;
}

export interface PreStepDef {
  name: string;
  method: 'GET' | 'POST';
  url: string;
  headers: Array<[string, string]>;
  /** Skip the step when this variable already has a value; '' to always run. */
  unless: string;
  /** [variable, response path] in spec order. */
  set: Array<[string, string]>;
}

export interface ApiRequestDef {
  name: string;
  description: string;
  method: HttpMethod;
  url: string;
  headers: Array<[string, string]>;
  /** The JSON body, or undefined for none. */
  json: unknown;
  /** The exact status expected with a good token; null for any 2xx. */
  expect: number | null;
}

export interface VariantDef {
  /** The key under `variants:`, or '' for a spec without variants. */
  key: string;
  name: string;
  description: string;
  token: TokenRequestDef;
  /** Variable defaults for this variant's environment (spec defaults with the variant's over them). */
  defaults: Record<string, string>;
}

export interface Spec {
  /** The file name without extension; names the output files and seeds the stable ids. */
  id: string;
  /** Where the spec was read from, as given (for messages). */
  file: string;
  name: string;
  description: string;
  variables: VariableDef[];
  preSteps: PreStepDef[];
  requests: ApiRequestDef[];
  /** At least one. */
  variants: VariantDef[];
}
