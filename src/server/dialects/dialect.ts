import type { IncomingHttpHeaders } from 'node:http';
import type { Fields } from '../body.js';
import type { ClientRegistry } from '../client-registry.js';
import type { OAuthEngine } from '../oauth-engine.js';
import type { HttpReply } from '../reply.js';

export interface TokenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface DialectDeps {
  registry: ClientRegistry;
  engine: OAuthEngine;
  /** Server URL without trailing slash; issuers are built from it. */
  baseUrl: string;
}

export interface ParsedTokenCall {
  form: Fields;
  /** An answer decided before the engine runs (e.g. wrong content type); faults still take precedence. */
  reject?: HttpReply;
}

/** One vendor's token endpoint: its paths, its accepted input and its response and error wording. */
export interface TokenDialect {
  readonly name: string;
  matches(method: string, path: string): boolean;
  parse(request: TokenRequest, deps: DialectDeps): ParsedTokenCall;
  answer(form: Fields, request: TokenRequest, deps: DialectDeps): Promise<HttpReply>;
}
