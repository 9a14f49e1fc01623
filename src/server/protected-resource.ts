import type { IncomingHttpHeaders } from 'node:http';
import type { ClientRegistry } from './client-registry.js';
import type { IssuedTokens } from './issued-tokens.js';
import { type HttpReply, jsonReply } from './reply.js';
import type { StatsBook } from './stats.js';

export interface ProtectedResourceDeps {
  registry: ClientRegistry;
  tokens: IssuedTokens;
  stats: StatsBook;
}

/** Stands in for every vendor API: any path and method, guarded by a bearer token this server issued. */
export async function answerApiCall(
  request: { method: string; path: string; headers: IncomingHttpHeaders },
  deps: ProtectedResourceDeps,
): Promise<HttpReply> {
  // Scheme is matched case-insensitively: XSUAA hands out token_type "bearer" and clients echo it.
  const bearer = /^bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  if (!bearer) return reject(deps, undefined, 'missing bearer token in the Authorization header');

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
  deps.stats.apiCall(inspection.clientId, false);
  return jsonReply(200, {
    ok: true,
    method: request.method,
    path: request.path,
    client_id: inspection.clientId,
  });
}

function reject(deps: ProtectedResourceDeps, clientId: string | undefined, why: string): HttpReply {
  deps.stats.apiCall(clientId, true);
  return jsonReply(
    401,
    { error: 'invalid_token', error_description: why },
    { 'www-authenticate': 'Bearer error="invalid_token"' },
  );
}
