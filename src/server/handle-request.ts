import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { readBody } from './body.js';
import type { PresentedCertificate } from './client-certificate.js';
import { apiConnect } from './dialects/api-connect.js';
import { identityProvidersReply } from './dialects/api-connect-idps.js';
import type { Listener, TokenDialect, TokenRequest } from './dialects/dialect.js';
import { discoveryReply } from './dialects/discovery.js';
import { entra } from './dialects/entra.js';
import { google } from './dialects/google.js';
import { keycloak } from './dialects/keycloak.js';
import { okta } from './dialects/okta.js';
import { rfc6749 } from './dialects/rfc6749.js';
import { salesforce } from './dialects/salesforce.js';
import { uipath } from './dialects/uipath.js';
import { xsuaa } from './dialects/xsuaa.js';
import { xsuaaCertificate } from './dialects/xsuaa-certificate.js';
import { answerApiCall, type ProtectedResourceDeps } from './protected-resource.js';
import { type HttpReply, jsonReply, sendReply } from './reply.js';
import { answerTokenCall, type TokenEndpointDeps } from './token-endpoint.js';

// The certificate endpoint comes first: on the mTLS listener it owns XSUAA's /oauth/token.
const DIALECTS: readonly TokenDialect[] = [
  xsuaaCertificate,
  xsuaa,
  keycloak,
  apiConnect,
  uipath,
  entra,
  google,
  salesforce,
  okta,
];

export type ServerState = TokenEndpointDeps & ProtectedResourceDeps;

/** The request listener: no request may crash the server, so every failure becomes a JSON answer. */
export function createRequestHandler(
  state: ServerState,
  listener: Listener = 'plain',
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route(req, state, listener).then(
      (reply) => sendReply(res, reply),
      (error: unknown) => {
        const description = error instanceof Error ? error.message : String(error);
        sendReply(res, jsonReply(500, { error: 'server_error', error_description: description }));
      },
    );
  };
}

async function route(req: IncomingMessage, state: ServerState, listener: Listener): Promise<HttpReply> {
  const method = (req.method ?? 'GET').toUpperCase();
  const { path, query } = splitUrl(req.url ?? '/');
  const dialect =
    DIALECTS.find((candidate) => candidate.matches(method, path, listener)) ??
    (state.registry.servesTokenPath(path) ? rfc6749 : undefined);

  const read = await readBody(req);
  if (!read.ok) {
    if (dialect) state.stats.tokenCall(undefined);
    return jsonReply(413, { error: 'payload_too_large', error_description: 'request body exceeds 1 MiB' });
  }

  const listing = identityProvidersReply(method, path) ?? discoveryReply(method, path, state);
  if (listing) return listing;

  const origin = (listener === 'mtls' ? state.mtlsUrl : undefined) ?? state.baseUrl;
  const request: TokenRequest = { method, path, query, headers: req.headers, body: read.body, origin };
  if (listener === 'mtls') request.clientCertificate = presentedCertificate(req.socket as TLSSocket);
  if (dialect) return answerTokenCall(dialect, request, state);
  return answerApiCall(request, state);
}

function presentedCertificate(socket: TLSSocket): PresentedCertificate {
  return {
    certificate: socket.getPeerX509Certificate(),
    authorized: socket.authorized,
    error: socket.authorizationError === undefined ? undefined : String(socket.authorizationError),
  };
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
