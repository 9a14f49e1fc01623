import { randomUUID } from 'node:crypto';
import type { EngineFailure } from '../oauth-engine.js';
import { type HttpReply, jsonReply } from '../reply.js';
import { readTokenForm } from '../token-form.js';
import type { TokenDialect } from './dialect.js';

const TOKEN_PATH = /^\/realms\/([^/]+)\/protocol\/openid-connect\/token$/;

/** Keycloak: any realm, urlencoded or multipart, public clients, id_token for the openid scope. */
export const keycloak: TokenDialect = {
  name: 'keycloak',

  matches(method, path) {
    return method === 'POST' && TOKEN_PATH.test(path);
  },

  parse(request, deps) {
    const { form, problem } = readTokenForm(request, deps.registry, { includeQuery: false });
    return problem
      ? { form, reject: failureReply({ reason: 'request', error: 'invalid_request', description: problem }) }
      : { form };
  },

  async answer(form, request, deps) {
    const realm = TOKEN_PATH.exec(request.path)?.[1] ?? '';
    const outcome = await deps.engine.issue(form, {
      issuer: `${deps.baseUrl}/realms/${realm}`,
      idTokenOnOpenid: true,
    });
    if (!outcome.ok) return failureReply(outcome.failure);
    const { tokens } = outcome;
    return jsonReply(200, {
      access_token: tokens.accessToken,
      expires_in: tokens.expiresIn,
      refresh_expires_in: tokens.refreshExpiresIn ?? 0,
      ...(tokens.refreshToken ? { refresh_token: tokens.refreshToken } : {}),
      token_type: 'Bearer',
      ...(tokens.idToken ? { id_token: tokens.idToken } : {}),
      'not-before-policy': 0,
      session_state: randomUUID(),
      scope: tokens.scope,
    });
  },
};

function failureReply(failure: EngineFailure): HttpReply {
  switch (failure.reason) {
    case 'client':
      return jsonReply(401, {
        error: 'invalid_client',
        error_description: 'Invalid client or Invalid client credentials',
      });
    case 'user':
      return jsonReply(401, { error: 'invalid_grant', error_description: 'Invalid user credentials' });
    case 'refresh_token':
      return jsonReply(400, { error: 'invalid_grant', error_description: 'Invalid refresh token' });
    case 'unsupported_grant':
      return jsonReply(400, { error: 'unsupported_grant_type', error_description: 'Unsupported grant_type' });
    case 'unauthorized_grant':
      return jsonReply(400, {
        error: 'unauthorized_client',
        error_description: 'Client not allowed for this grant type',
      });
    case 'scope':
      return jsonReply(400, { error: 'invalid_scope', error_description: 'Invalid scopes' });
    case 'server':
      return jsonReply(500, { error: 'server_error', error_description: failure.description });
    default:
      return jsonReply(400, { error: failure.error, error_description: failure.description });
  }
}
