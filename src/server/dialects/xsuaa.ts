import type { EngineFailure, IssuedTokenSet } from '../oauth-engine.js';
import { type HttpReply, jsonReply } from '../reply.js';
import { readTokenForm } from '../token-form.js';
import type { TokenDialect } from './dialect.js';

export const PATH = '/oauth/token';

/** SAP XSUAA: form POST or query-string GET; every credential failure reads "Bad credentials". */
export const xsuaa: TokenDialect = {
  name: 'xsuaa',

  matches(method, path) {
    return path === PATH && (method === 'POST' || method === 'GET');
  },

  parse(request, deps) {
    const { form, problem } = readTokenForm(request, deps.registry, { includeQuery: true });
    return problem
      ? { form, reject: failureReply({ reason: 'request', error: 'invalid_request', description: problem }) }
      : { form };
  },

  async answer(form, _request, deps) {
    const outcome = await deps.engine.issue(form, {
      issuer: `${deps.baseUrl}${PATH}`,
      idTokenOnOpenid: false,
    });
    return outcome.ok ? tokenReply(outcome.tokens) : failureReply(outcome.failure);
  },
};

/** XSUAA's token answer; its certificate endpoint answers alike. */
export function tokenReply(tokens: IssuedTokenSet): HttpReply {
  return jsonReply(200, {
    access_token: tokens.accessToken,
    token_type: 'bearer',
    ...(tokens.refreshToken ? { refresh_token: tokens.refreshToken } : {}),
    expires_in: tokens.expiresIn,
    scope: tokens.scope,
    jti: tokens.jti,
  });
}

export function failureReply(failure: EngineFailure): HttpReply {
  switch (failure.reason) {
    case 'client':
    case 'user':
      return jsonReply(401, { error: 'unauthorized', error_description: 'Bad credentials' });
    case 'refresh_token':
      return jsonReply(401, { error: 'invalid_token', error_description: 'Invalid refresh token' });
    case 'server':
      return jsonReply(500, { error: 'server_error', error_description: failure.description });
    default:
      return jsonReply(400, { error: failure.error, error_description: failure.description });
  }
}
