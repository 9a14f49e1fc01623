import type { IncomingHttpHeaders } from 'node:http';
import type { ReplayGuard } from '../assertion-replay.js';
import type { Fields } from '../body.js';
import type { PresentedCertificate } from '../client-certificate.js';
import type { ClientRegistry } from '../client-registry.js';
import type { ServerClock } from '../clock.js';
import type { IssuedTokens } from '../issued-tokens.js';
import type { OAuthEngine } from '../oauth-engine.js';
import type { HttpReply } from '../reply.js';

export interface TokenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The listener's URL the request came in on, e.g. for an assertion's `aud`. */
  origin: string;
  /** Set on the mTLS listener only, with or without a certificate. */
  clientCertificate?: PresentedCertificate;
}

export interface DialectDeps {
  registry: ClientRegistry;
  engine: OAuthEngine;
  /** Server URL without trailing slash; issuers are built from it. */
  baseUrl: string;
  /** The mTLS listener's URL, when it runs. */
  mtlsUrl: string | undefined;
  /** Judges assertion times; tests can skew it. */
  clock: ServerClock;
  replay: ReplayGuard;
  /** Tokens this server issued: token exchange takes one as its subject. */
  tokens: IssuedTokens;
}

/** Which listener a request came in on: vendors serve certificate clients on a host of their own. */
export type Listener = 'plain' | 'mtls';

export interface ParsedTokenCall {
  form: Fields;
  /** An answer decided before the engine runs (e.g. wrong content type); faults still take precedence. */
  reject?: HttpReply;
}

/** One vendor's token endpoint: its paths, its accepted input and its response and error wording. */
export interface TokenDialect {
  readonly name: string;
  matches(method: string, path: string, listener: Listener): boolean;
  parse(request: TokenRequest, deps: DialectDeps): ParsedTokenCall;
  answer(form: Fields, request: TokenRequest, deps: DialectDeps): Promise<HttpReply>;
}
