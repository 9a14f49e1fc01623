import type { EngineFailure } from '../oauth-engine.js';
import { type HttpReply, jsonReply } from '../reply.js';
import { readTokenForm } from '../token-form.js';
import type { TokenDialect } from './dialect.js';

/** Automation Cloud serves identity under /identity_, on-premises Orchestrator under /identity. */
const TOKEN_PATHS: Record<string, string> = {
  '/identity_/connect/token': '/identity_',
  '/identity/connect/token': '/identity',
};

/** UiPath identity (IdentityServer): client_credentials with registered scopes; bare error codes. */
export const uipath: TokenDialect = {
  name: 'uipath',

  matches(method, path) {
    return method === 'POST' && Object.hasOwn(TOKEN_PATHS, path);
  },

  parse(request, deps) {
    const { form, problem } = readTokenForm(request, deps.registry, { includeQuery: false });
    return problem ? { form, reject: jsonReply(400, { error: 'invalid_request' }) } : { form };
  },

  async answer(form, request, deps) {
    const issuer = `${deps.baseUrl}${TOKEN_PATHS[request.path] ?? ''}`;
    const outcome = await deps.engine.issue(form, { issuer, idTokenOnOpenid: false });
    if (!outcome.ok) return failureReply(outcome.failure);
    const { tokens } = outcome;
    return jsonReply(200, {
      access_token: tokens.accessToken,
      expires_in: tokens.expiresIn,
      token_type: 'Bearer',
      scope: tokens.scope,
    });
  },
};

function failureReply(failure: EngineFailure): HttpReply {
  switch (failure.reason) {
    case 'client':
      return jsonReply(400, { error: 'invalid_client' });
    case 'scope':
      return jsonReply(400, { error: 'invalid_scope' });
    case 'unsupported_grant':
      return jsonReply(400, { error: 'unsupported_grant_type' });
    case 'unauthorized_grant':
      return jsonReply(400, { error: 'unauthorized_client' });
    case 'user':
    case 'refresh_token':
      return jsonReply(400, { error: 'invalid_grant' });
    case 'server':
      return jsonReply(500, { error: 'server_error' });
    default:
      return jsonReply(400, { error: failure.error });
  }
}
