import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './body.js';
import { apiConnect } from './dialects/api-connect.js';
import { identityProvidersReply } from './dialects/api-connect-idps.js';
import type { TokenDialect, TokenRequest } from './dialects/dialect.js';
import { keycloak } from './dialects/keycloak.js';
import { rfc6749 } from './dialects/rfc6749.js';
import { uipath } from './dialects/uipath.js';
import { xsuaa } from './dialects/xsuaa.js';
import { answerApiCall, type ProtectedResourceDeps } from './protected-resource.js';
import { type HttpReply, jsonReply, sendReply } from './reply.js';
import { answerTokenCall, type TokenEndpointDeps } from './token-endpoint.js';

const DIALECTS: readonly TokenDialect[] = [xsuaa, keycloak, apiConnect, uipath];

export type ServerState = TokenEndpointDeps & ProtectedResourceDeps;

/** The request listener: no request may crash the server, so every failure becomes a JSON answer. */
export function createRequestHandler(
  state: ServerState,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route(req, state).then(
      (reply) => sendReply(res, reply),
      (error: unknown) => {
        const description = error instanceof Error ? error.message : String(error);
        sendReply(res, jsonReply(500, { error: 'server_error', error_description: description }));
      },
    );
  };
}

async function route(req: IncomingMessage, state: ServerState): Promise<HttpReply> {
  const method = (req.method ?? 'GET').toUpperCase();
  const { path, query } = splitUrl(req.url ?? '/');
  const dialect =
    DIALECTS.find((candidate) => candidate.matches(method, path)) ??
    (state.registry.servesTokenPath(path) ? rfc6749 : undefined);

  const read = await readBody(req);
  if (!read.ok) {
    if (dialect) state.stats.tokenCall(undefined);
    return jsonReply(413, { error: 'payload_too_large', error_description: 'request body exceeds 1 MiB' });
  }

  const listing = identityProvidersReply(method, path);
  if (listing) return listing;

  const request: TokenRequest = { method, path, query, headers: req.headers, body: read.body };
  if (dialect) return answerTokenCall(dialect, request, state);
  return answerApiCall(request, state);
}

function splitUrl(raw: string): { path: string; query: URLSearchParams } {
  try {
    // A fixed origin keeps `//host/x` request targets from being read as another host.
    const url = new URL(`http://tokenman.invalid${raw.startsWith('/') ? raw : `/${raw}`}`);
    return { path: url.pathname, query: url.searchParams };
  } catch {
    return { path: raw, query: new URLSearchParams() };
  }
}
