export type GrantType = 'client_credentials' | 'password' | 'refresh_token';
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
  /** Registering an existing clientId merges grants, users and scopes; the secret must match. */
  register(client: ClientRegistration): void;
  /** Counters for one client, or totals when clientId is omitted. */
  stats(clientId?: string): ServerStats;
  /**
   * The next token calls (of that client, or of any client) get this answer instead.
   * `null` clears the fault of that client, or every fault when clientId is omitted.
   */
  injectFault(fault: TokenFault | null, clientId?: string): void;
  close(): Promise<void>;
}

export interface TokenServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Serve HTTPS with this PEM key and certificate (a self-signed one, as API Connect has). */
  tls?: { key: string; cert: string };
}
