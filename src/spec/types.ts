// The spec after validation: every default applied, every variant resolved, so no later stage
// needs to know what a spec may leave out. The input shape is spec-input.generated.ts.

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** client_assertion_type of a signed client assertion (RFC 7523 §2.2). */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export type Grant =
  | 'client_credentials'
  | 'password'
  | 'refresh_token'
  | typeof JWT_BEARER_GRANT
  | typeof TOKEN_EXCHANGE_GRANT
  | 'api_key';
export type ClientAuth = 'basic' | 'body' | 'none' | 'tls' | 'client_secret_jwt' | 'private_key_jwt';
export type JwtAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'HS256';
export type Thumbprint = 'x5t#S256' | 'x5t';

/**
 * A JWT the token script signs at send time (RFC 7523): as client_assertion for client_secret_jwt and
 * private_key_jwt, as assertion for the jwt-bearer grant. Every text is a template; '' is unset.
 */
export interface SignedAssertionDef {
  source: 'sign';
  alg: JwtAlgorithm;
  /** The PEM private key (a secret variable), or for HS256 the client secret template. */
  key: string;
  kid: string;
  certificate: string;
  /** The certificate thumbprint header; '' when there is no certificate. */
  thumbprint: Thumbprint | '';
  issuer: string;
  subject: string;
  audience: string;
  scope: string;
  /** Seconds from iat to exp. */
  lifetime: number;
}

/** An assertion made elsewhere, sent as the value of a secret variable. */
export interface VariableAssertionDef {
  source: 'variable';
  value: string;
}

export type AssertionDef = SignedAssertionDef | VariableAssertionDef;
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
  /** Paths into the vendor's credentials file that fill it, first present wins; empty for none. */
  credentials: string[];
}

export interface TokenRequestDef {
  /** The token URL template; with discovery `{{TokenEndpoint}}`, which the token script fills. */
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
  /** The JWT of client_secret_jwt, private_key_jwt or the jwt-bearer grant; null for none. */
  assertion: AssertionDef | null;
  /** token-exchange grant: the subject token and its type. */
  subjectToken: string;
  subjectTokenType: string;
  /** api_key grant: the API key. */
  apiKey: string;
  /** The mutual-TLS client certificate and key templates, for the runners (never the script). */
  clientCertificate: { certificate: string; key: string } | null;
  /** The OpenID Connect discovery document the token URL is read from; '' when url is given. */
  discovery: string;
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

/** A path parameter of an operation, filled by an environment variable. */
export interface ApiPathParameter {
  name: string;
  /** Markdown; '' for none. */
  description: string;
  /** The environment variable that fills it (the same for the same name in every operation). */
  variable: string;
  /**
   * A segment of its own (`/users/{id}`), sent as a path variable; otherwise part of a segment
   * (OData's `/Assets({key})`) and written into the URL as its `{{Variable}}`.
   */
  segment: boolean;
}

/** A query parameter or header of an operation. */
export interface ApiValueParameter {
  name: string;
  required: boolean;
  /** Markdown; '' for none. */
  description: string;
  /**
   * The document's example as sent, else a value its schema allows: one entry each (an array sent
   * as repeated parameters has several), '' when there is nothing to go by.
   */
  values: string[];
}

/** One operation of the spec's API document, as plain data: what its request is planned from. */
export interface ApiOperation {
  method: HttpMethod;
  /** The path as the document writes it: `/realms/{realm}/users`. */
  path: string;
  /** '' when the document gives none. */
  operationId: string;
  tags: string[];
  /** The folder its request stands in: its first tag, or `Untagged`. */
  folder: string;
  /** Its summary, else operationId, else `METHOD /path`; unique in its folder. */
  name: string;
  /** Markdown; '' for none. */
  description: string;
  /** In the order the path names them. */
  pathParameters: ApiPathParameter[];
  query: ApiValueParameter[];
  headers: ApiValueParameter[];
  /** The JSON body (the document's example, else one written from its schema) and its media type; null for none. */
  body: { mediaType: string; value: unknown } | null;
  /** The media type of a body tokenman does not write (not JSON: a form, a file); '' for none. */
  otherBody: string;
  /** The document says it needs no token (`security: []`). */
  noToken: boolean;
  /** Its documented success status when it has exactly one 2xx; null otherwise. */
  successStatus: number | null;
}

/** The vendor's API document as the spec selects it (`api.openapi`). */
export interface ApiDef {
  /** The document's path as messages show it: the spec's folder joined with `api.openapi`. */
  document: string;
  /** Every file read for it: the document, then the files its `$ref`s name. */
  files: string[];
  /** Where the operations' paths start: a template such as `{{ApiUrl}}/v2`. */
  baseUrl: string;
  /**
   * The variables the API brings that the spec does not declare: `ApiUrl` for the default base URL,
   * then one per path parameter, in order of first use; each with an empty default but ApiUrl's.
   */
  variables: VariableDef[];
  /** The selected operations, in the document's order of paths and of methods within a path. */
  operations: ApiOperation[];
}

/** Where a value stands in a collection file: keys and list indexes from its top. */
export type CollectionPath = ReadonlyArray<string | number>;

/** The Postman collection a spec attaches its token to (`api.collection`), read and checked. */
export interface AttachedCollectionDef {
  /** The file as messages show it: the spec's folder joined with `api.collection`. */
  file: string;
  /** The collection as read: Collection v2.1 JSON, unchanged. */
  collection: Record<string, unknown>;
  /**
   * The folders and requests whose own `oauth2` or `bearer` auth gives way to the collection's
   * token: where each one's `auth` key stands, in file order.
   */
  switchedAuth: CollectionPath[];
  /** The `{{Variables}}` its requests send, in order of first use: the environments declare those the spec does. */
  variables: string[];
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
  /** The vendor's API document and its selected operations; null for a spec without `api`. */
  api: ApiDef | null;
  /** The Postman collection the spec attaches to; null for a spec without `api.collection`. */
  collection: AttachedCollectionDef | null;
  /** At least one. */
  variants: VariantDef[];
}
