/* Generated from schema/spec.schema.json by scripts/generate-from-schema.mjs. Do not edit. */

/**
 * A dotted path into a JSON credentials file: uaa.clientid, serviceurls.AI_API_URL, keys[0].id.
 */
export type CredentialsPath = string;
/**
 * A string that may contain {{Variable}} references.
 */
export type Template = string;
/**
 * The JWT the script signs when each token is fetched (clientAuth client_secret_jwt or private_key_jwt: client_assertion; the jwt-bearer grant: assertion), or a secret {{Variable}} holding one made elsewhere.
 */
export type Assertion = {
  /**
   * Signature algorithm: RS256 (default), PS256 or ES256 with a private key; HS256 (the only one) for client_secret_jwt.
   */
  alg?: 'RS256' | 'PS256' | 'ES256' | 'HS256';
  /**
   * The PEM private key, as a secret {{Variable}}. Not for client_secret_jwt, which signs with clientSecret.
   */
  key?: string;
  /**
   * The kid header: the id under which the vendor registered the key.
   */
  kid?: string;
  /**
   * The PEM certificate of the key, as a {{Variable}}: its thumbprint goes in the header.
   */
  certificate?: string;
  /**
   * Which thumbprint of certificate goes in the header: x5t#S256 (SHA-256, default) or x5t (SHA-1).
   */
  thumbprint?: 'x5t#S256' | 'x5t';
  /**
   * The iss claim. Default clientId.
   */
  issuer?: string;
  /**
   * The sub claim. Default clientId for a client assertion; none for the jwt-bearer grant.
   */
  subject?: string;
  /**
   * The aud claim. Default the token url.
   */
  audience?: string;
  /**
   * A scope claim (Google service accounts): space-separated scopes.
   */
  scope?: string;
  /**
   * Seconds from iat to exp. Default 300.
   */
  lifetime?: number;
} & Assertion1;
export type Assertion1 =
  | string
  | {
      /**
       * Signature algorithm: RS256 (default), PS256 or ES256 with a private key; HS256 (the only one) for client_secret_jwt.
       */
      alg?: 'RS256' | 'PS256' | 'ES256' | 'HS256';
      /**
       * The PEM private key, as a secret {{Variable}}. Not for client_secret_jwt, which signs with clientSecret.
       */
      key?: string;
      /**
       * The kid header: the id under which the vendor registered the key.
       */
      kid?: string;
      /**
       * The PEM certificate of the key, as a {{Variable}}: its thumbprint goes in the header.
       */
      certificate?: string;
      /**
       * Which thumbprint of certificate goes in the header: x5t#S256 (SHA-256, default) or x5t (SHA-1).
       */
      thumbprint?: 'x5t#S256' | 'x5t';
      /**
       * The iss claim. Default clientId.
       */
      issuer?: string;
      /**
       * The sub claim. Default clientId for a client assertion; none for the jwt-bearer grant.
       */
      subject?: string;
      /**
       * The aud claim. Default the token url.
       */
      audience?: string;
      /**
       * A scope claim (Google service accounts): space-separated scopes.
       */
      scope?: string;
      /**
       * Seconds from iat to exp. Default 300.
       */
      lifetime?: number;
    };

/**
 * A tokenman spec: how to obtain an OAuth token from one vendor's token endpoint, the example API requests that use it, and the vendor's API document whose operations use it too.
 */
export interface TokenmanSpec {
  /**
   * The vendor or API name; becomes the collection and environment name.
   */
  name: string;
  /**
   * Markdown shown as the collection's description in Postman.
   */
  description?: string;
  /**
   * Every variable the requests use, as {{Name}}. Users fill these in their environment.
   */
  variables: {
    [k: string]: Variable;
  };
  token: TokenRequest;
  /**
   * Requests that run before the token request, each storing values from its response in variables (for example API Connect's realm discovery).
   */
  preSteps?: PreStep[];
  /**
   * Example API requests that use the token (collection auth Bearer {{Token}}).
   */
  requests?: ApiRequest[];
  api?: Api;
  /**
   * Ways of obtaining the token that share everything else (password / client credentials, cloud / on-premises). Each gets its own environment and its own 'Get token' request.
   */
  variants?: {
    [k: string]: Variant;
  };
}
export interface Variable {
  description?: string;
  /**
   * The vendor's real default; written into the environment. Not allowed for secrets.
   */
  default?: string;
  /**
   * A secret (client secret, password): type 'secret' in the environment, never given a value by tokenman.
   */
  secret?: boolean;
  /**
   * May be empty when the token is fetched (a 2FA passcode, say). Variables without a default are otherwise required.
   */
  optional?: boolean;
  /**
   * Where this variable's value is in the vendor's credentials file (an SAP service key, a Google service-account key): a dotted path such as clientid, uaa.certurl or serviceurls.AI_API_URL, or a list of paths of which the first present wins. Read by tokenman verify --credentials and tokenman environment.
   *
   * @minItems 1
   */
  credentials?: string | [CredentialsPath, ...CredentialsPath[]];
}
export interface TokenRequest {
  /**
   * The token endpoint, starting with http(s):// or a {{Variable}} holding the host.
   */
  url?: string;
  /**
   * Instead of url: the issuer's OpenID Connect discovery document (https://issuer/.well-known/openid-configuration); the token script reads token_endpoint from it (mtls_endpoint_aliases.token_endpoint for clientAuth tls) once and keeps it like a pre-step.
   */
  discovery?: string;
  /**
   * Default POST; GET sends every parameter in the query.
   */
  method?: 'POST' | 'GET';
  /**
   * The OAuth 2.0 grant type: client_credentials, password, refresh_token; the JWT-bearer grant of RFC 7523 (urn:ietf:params:oauth:grant-type:jwt-bearer, with assertion); token exchange of RFC 8693 (urn:ietf:params:oauth:grant-type:token-exchange, with subjectToken); or IBM API Connect's api_key (with apiKey).
   */
  grant?:
    | 'client_credentials'
    | 'password'
    | 'refresh_token'
    | 'urn:ietf:params:oauth:grant-type:jwt-bearer'
    | 'urn:ietf:params:oauth:grant-type:token-exchange'
    | 'api_key';
  /**
   * How the client authenticates: HTTP Basic header, client_id/client_secret in the body, none (public client: client_id only), tls (client_id in the body, the client certificate at the TLS layer, RFC 8705), client_secret_jwt (an HS256 assertion signed with the client secret) or private_key_jwt (an assertion signed with a private key), the last two as client_assertion (RFC 7523).
   */
  clientAuth?: 'basic' | 'body' | 'none' | 'tls' | 'client_secret_jwt' | 'private_key_jwt';
  /**
   * raw sends id:secret as is (curl -u, Postman); rfc6749 form-urlencodes both before base64 (RFC 6749 §2.3.1).
   */
  basicEncoding?: 'raw' | 'rfc6749';
  /**
   * How the parameters are sent. Default urlencoded (query when method is GET).
   */
  encoding?: 'urlencoded' | 'form-data' | 'json' | 'query';
  clientId?: Template;
  clientSecret?: Template;
  username?: Template;
  password?: Template;
  /**
   * For grant refresh_token: where the refresh token comes from, usually {{RefreshToken}}.
   */
  refreshToken?: string;
  assertion?: Assertion;
  /**
   * For the token-exchange grant: the token to exchange, as a secret {{Variable}}.
   */
  subjectToken?: string;
  /**
   * For the token-exchange grant: the subject token's type. Default urn:ietf:params:oauth:token-type:access_token.
   */
  subjectTokenType?: string;
  /**
   * For the api_key grant: the API key, as a secret {{Variable}}.
   */
  apiKey?: string;
  /**
   * The client certificate of mutual TLS (clientAuth tls) as variables: tokenman verify and tokenman environment hand them to Newman and Bruno as files; in Postman they are set under Settings → Certificates.
   */
  clientCertificate?: {
    /**
     * The PEM certificate (chain), as a {{Variable}}.
     */
    certificate: string;
    /**
     * Its PEM private key, as a secret {{Variable}}.
     */
    key: string;
  };
  scope?: Template;
  /**
   * Extra parameters sent with the grant (realm, resource, audience).
   */
  params?: {
    [k: string]: Template;
  };
  headers?: Headers;
  response?: {
    /**
     * Path of the token in the JSON response: access_token (default), id_token, or a dotted path.
     */
    token?: string;
    /**
     * Path of the lifetime in seconds (default expires_in). When it is missing or not a positive number, the JWT's exp is used, then fallbackLifetime.
     */
    expiresIn?: string;
  };
  /**
   * Seconds before expiry at which a cached token is renewed. Default 60.
   */
  skew?: number;
  /**
   * Seconds a token is cached when neither expiresIn nor a JWT exp says. Default 300.
   */
  fallbackLifetime?: number;
  /**
   * Seconds after a failed token request during which it is not repeated: requests in that window fail at once with the same message, so a run of many requests cannot hammer a failing endpoint. 0 repeats it every time. Default 5.
   */
  retryAfter?: number;
  /**
   * Use a refresh_token from the response to renew before repeating the grant. Default true.
   */
  refresh?: boolean;
  /**
   * The endpoint normally has a self-signed certificate (API Connect); verification turns TLS checks off.
   */
  insecure?: boolean;
}
export interface Headers {
  [k: string]: Template;
}
export interface PreStep {
  name: string;
  method?: 'GET' | 'POST';
  url: Template;
  headers?: Headers;
  /**
   * Skip this step when this variable already has a value (the user chose it).
   */
  unless?: string;
  /**
   * Variables to store, each from a path in the JSON response; a filter [key=value] picks an array element: results[default=true].name
   */
  set: {
    [k: string]: string;
  };
}
export interface ApiRequest {
  name: string;
  description?: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
  url: Template;
  headers?: Headers;
  /**
   * A JSON body, sent as is with Content-Type application/json.
   */
  json?: unknown;
  /**
   * The exact status the request answers with when the token is good (checked by a test). Default: any 2xx.
   */
  expect?: number;
}
/**
 * The vendor's API: each operation of its OpenAPI document becomes a request that uses the token, in a folder per tag, after the spec's own requests (include selects operations, default every one; exclude then leaves some out); and the Postman collection you keep, authorised by the token with everything in it kept. Give openapi, collection or both.
 */
export interface Api {
  /**
   * The vendor's OpenAPI 3.0 or 3.1 or Swagger 2.0 document, JSON or YAML, as a path relative to this spec. Its $refs to other files are read; a $ref to a URL is refused.
   */
  openapi?: string;
  /**
   * A Postman Collection v2.1 JSON file you keep (an export), as a path relative to this spec. The spec's Postman collection is then yours with the token added: the collection's pre-request script before your own, Bearer {{Token}} auth that every request inherits (a request or folder with its own oauth2 or bearer auth is switched to inherit, and listed), and every other request, folder, example, script and variable kept.
   */
  collection?: string;
  /**
   * Where the document's paths start, as a template: {{KeycloakUrl}}/admin/realms. Default: the document's first server, its scheme and host in the variable ApiUrl.
   */
  baseUrl?: string;
  include?: OperationSelection;
  exclude?: OperationSelection;
  /**
   * The variable that fills a path parameter, by the parameter's name: { realm: KeycloakRealm }. Default: the parameter's name in PascalCase ({userId} is {{UserId}}).
   */
  pathVariables?: {
    [k: string]: string;
  };
}
/**
 * Give tags, paths or operations, one at least: an operation that matches any entry is selected.
 */
export interface OperationSelection {
  /**
   * Tag names, as the document writes them.
   *
   * @minItems 1
   */
  tags?: [string, ...string[]];
  /**
   * Path globs: * within a segment, ** across segments, as in /users/** or /users/*; {braces} are literal, as the document writes them.
   *
   * @minItems 1
   */
  paths?: [string, ...string[]];
  /**
   * operationIds, or METHOD /path as the document writes the path: GET /users/{id}.
   *
   * @minItems 1
   */
  operations?: [string, ...string[]];
}
export interface Variant {
  name: string;
  description?: string;
  token?: TokenRequest;
  /**
   * Variable defaults that differ in this variant.
   */
  defaults?: {
    [k: string]: string;
  };
}
