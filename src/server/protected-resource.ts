import { type ApiCall, type ApiContracts, answerContractCall } from './api-contract/api-contracts.js';
import type { ClientRegistry } from './client-registry.js';
import type { IssuedTokens } from './issued-tokens.js';
import { type HttpReply, jsonReply } from './reply.js';
import type { StatsBook } from './stats.js';

export interface ProtectedResourceDeps {
  registry: ClientRegistry;
  tokens: IssuedTokens;
  stats: StatsBook;
  /** The API documents calls are held to (contract mode); a client without one is not. */
  contracts: ApiContracts;
}

/**
 * Stands in for every vendor API: any path and method, guarded by a bearer token this server
 * issued. A call of an operation of the client's API document (contract mode) is also checked
 * against the document and answered with its documented example; an operation the document says
 * needs no token is answered without one.
 */
export async function answerApiCall(call: ApiCall, deps: ProtectedResourceDeps): Promise<HttpReply> {
  // Scheme is matched case-insensitively: XSUAA hands out token_type "bearer" and clients echo it.
  const bearer = /^bearer\s+(\S+)\s*$/i.exec(call.headers.authorization ?? '')?.[1];
  if (!bearer) {
    const tokenless = deps.contracts.tokenlessMatch(call);
    if (tokenless) return counted(deps, undefined, answerContractCall(tokenless, call));
    return reject(deps, undefined, 'missing bearer token in the Authorization header');
  }

  const inspection = await deps.tokens.inspect(bearer);
  if (!inspection.ok) return reject(deps, inspection.clientId, inspection.reason);

  const accepted = deps.registry.accepts(inspection.clientId);
  if (inspection.kind !== accepted) {
    return reject(
      deps,
      inspection.clientId,
      `${inspection.kind} sent, but this API accepts only ${accepted}`,
    );
  }
  const found = deps.contracts.matchFor(inspection.clientId, call);
  if (found) return counted(deps, inspection.clientId, answerContractCall(found, call));
  deps.stats.apiCall(inspection.clientId, false);
  return jsonReply(200, {
    ok: true,
    method: call.method,
    path: call.path,
    client_id: inspection.clientId,
  });
}

/** A contract answer, counted as refused when it is not a success. */
function counted(deps: ProtectedResourceDeps, clientId: string | undefined, reply: HttpReply): HttpReply {
  deps.stats.apiCall(clientId, reply.status >= 300);
  return reply;
}

function reject(deps: ProtectedResourceDeps, clientId: string | undefined, why: string): HttpReply {
  deps.stats.apiCall(clientId, true);
  return jsonReply(
    401,
    { error: 'invalid_token', error_description: why },
    { 'www-authenticate': 'Bearer error="invalid_token"' },
  );
}
