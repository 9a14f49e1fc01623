import type { EngineFailure } from '../oauth-engine.js';
import { type HttpReply, jsonReply } from '../reply.js';
import { readTokenForm } from '../token-form.js';
import type { TokenDialect } from './dialect.js';

/**
 * A plain RFC 6749 token endpoint at whatever path a registered client names: a vendor with no
 * dialect of its own (a spec from `tokenman init`, say) still verifies locally. It reads every
 * encoding a spec can send and answers with the standard fields and error codes (§5.1, §5.2).
 * Which paths it serves is decided by the registry, so `matches` is never asked.
 */
export const rfc6749: TokenDialect = {
  name: 'rfc6749',

  matches() {
    return false;
  },

  parse(request, deps) {
    const { form, problem } = readTokenForm(request, deps.registry, { includeQuery: true });
    return problem
      ? { form, reject: jsonReply(400, { error: 'invalid_request', error_description: problem }) }
      : { form };
  },

  async answer(form, request, deps) {
    const outcome = await deps.engine.issue(form, {
      issuer: `${deps.baseUrl}${request.path}`,
      idTokenOnOpenid: true,
    });
    if (!outcome.ok) return failureReply(outcome.failure);
    const { tokens } = outcome;
    return jsonReply(200, {
      access_token: tokens.accessToken,
      token_type: 'Bearer',
      expires_in: tokens.expiresIn,
      ...(tokens.refreshToken ? { refresh_token: tokens.refreshToken } : {}),
      ...(tokens.idToken ? { id_token: tokens.idToken } : {}),
      ...(tokens.scope ? { scope: tokens.scope } : {}),
    });
  },
};

function failureReply(failure: EngineFailure): HttpReply {
  const status = failure.reason === 'client' ? 401 : failure.reason === 'server' ? 500 : 400;
  return jsonReply(status, { error: failure.error, error_description: failure.description });
}
