import type { JsonWebKey } from 'node:crypto';
// The grant URIs are the spec's words (RFC 7523 §2.1 JWT bearer, RFC 8693 token exchange); the server
// answers the same names.
import { JWT_BEARER_GRANT, TOKEN_EXCHANGE_GRANT } from '../spec/types.js';
import type { ApiContract } from './api-contract/api-contracts.js';
import type { CertificateAndKey, ClientCertificateOptions } from './certificates.js';

export type { ApiContract };

export { JWT_BEARER_GRANT, TOKEN_EXCHANGE_GRANT };

/**
 * `api_key` is IBM API Connect v10's exchange of a user's API key for a token; the JWT-bearer grant
 * is registered on the assertion's issuer (service account e-mail, connected app consumer key).
 */
export type GrantType =
  | 'client_credentials'
  | 'password'
  | 'refresh_token'
  | 'api_key'
  | typeof JWT_BEARER_GRANT
  | typeof TOKEN_EXCHANGE_GRANT;

/** A public key a client signs assertions with: PEM (public key or certificate) or a JWK. */
export interface ClientKey {
  key: string | JsonWebKey;
  /** Matched against the assertion header's `kid` when it has one. */
  kid?: string;
}

/**
 * RFC 8705 tls_client_auth: the client certificate must chain to the server's CA and name this
 * subject DN (attribute order and spacing ignored), or have this SHA-256 thumbprint (hex, colons
 * optional, or base64url as JOSE writes it).
 */
export interface ClientCertificateMatch {
  subject?: string;
  thumbprintSha256?: string;
}
export type TokenKind = 'access_token' | 'id_token';

export interface ClientRegistration {
  clientId: string;
  /** Undefined makes a public client: it authenticates with its id alone, as Keycloak public clients do. */
  clientSecret?: string;
  grants: GrantType[];
  /** Users for the password grant. */
  users?: Array<{ username: string; password: string }>;
  /** Allowed scopes; a requested scope outside them is rejected. Undefined accepts any scope. */
  scopes?: string[];
  /** Which token the protected resource accepts for this client (default access_token). */
  accepts?: TokenKind;
  /** Token lifetime in seconds (default 3600). */
  lifetime?: number;
  /**
   * The path of this client's token endpoint. A path no vendor dialect knows is then answered as a
   * plain RFC 6749 endpoint, so a spec for a new vendor verifies locally without server code.
   */
  tokenEndpointPath?: string;
  /** The client authenticates with a TLS client certificate (RFC 8705 tls_client_auth). */
  certificate?: ClientCertificateMatch;
  /** Keys for private_key_jwt client assertions and the JWT-bearer grant. */
  publicKeys?: ClientKey[];
  /**
   * Assertion algorithms this client may use; default: RS256, PS256 and ES256 for its public keys,
   * HS256 (client_secret_jwt) when it has a secret. A dialect may narrow them to its vendor's.
   */
  assertionAlgorithms?: string[];
  /** API Connect API keys, each standing for one user. */
  apiKeys?: Array<{ apiKey: string; username: string }>;
}

export interface TokenFault {
  status: number;
  body: string;
  /** Default application/json. */
  contentType?: string;
  delayMs?: number;
  /** Number of token calls answered with this fault; default: every call until cleared. */
  times?: number;
  /** Token calls answered normally before the fault starts (a failure mid-run); default 0. */
  after?: number;
}

/**
 * `apiCalls` counts every call that reached the protected resource; `rejectedApiCalls` is the
 * subset it refused, so a clean run has `apiCalls > 0` and `rejectedApiCalls === 0`.
 */
export interface ServerStats {
  tokenCalls: number;
  apiCalls: number;
  rejectedApiCalls: number;
}

export interface TokenServer {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:43121. */
  readonly url: string;
  /**
   * Registering an existing clientId merges grants, users, scopes and keys; a different secret is
   * one more the client authenticates with (as while a vendor's secrets rotate).
   */
  register(client: ClientRegistration): void;
  /**
   * Contract mode: the client's API calls of a path the document describes are checked against it
   * (method, parameters, body) and answered with its example; a refusal says what the document
   * wants. Calls without a token are answered for an operation the document says needs none.
   */
  holdToApi(clientId: string, contract: ApiContract): void;
  /** Counters for one client, or totals when clientId is omitted. */
  stats(clientId?: string): ServerStats;
  /**
   * The next token calls (of that client, or of any client) get this answer instead.
   * `null` clears the fault of that client, or every fault when clientId is omitted.
   */
  injectFault(fault: TokenFault | null, clientId?: string): void;
  /**
   * Runs the server's clock for assertion checks this many seconds ahead (negative: behind), as a
   * vendor whose clock drifted would judge `iat`, `nbf` and `exp`; 0 restores it.
   */
  skewClock(seconds: number): void;
  /** The listener that asks for client certificates (`mtls` option), e.g. https://127.0.0.1:43122. */
  readonly mtlsUrl: string | undefined;
  /** PEM of the CA that signs the mTLS listener's certificate and trusted client certificates. */
  readonly caCertificate: string | undefined;
  /** A client certificate signed by the server's CA; throws without the `mtls` option. */
  issueClientCertificate(options: ClientCertificateOptions): CertificateAndKey;
  close(): Promise<void>;
}

export interface TokenServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Serve HTTPS with this PEM key and certificate (a self-signed one, as API Connect has). */
  tls?: { key: string; cert: string };
  /**
   * Also listen with HTTPS that asks for client certificates (without refusing a handshake that
   * lacks one or sends an untrusted one, so each dialect answers in its vendor's words). The CA is
   * generated unless given; its certificate signs the listener's certificate for 127.0.0.1 and
   * localhost.
   */
  mtls?: boolean | { ca?: CertificateAndKey };
}
