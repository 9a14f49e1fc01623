import type { AssertionPolicy } from '../assertions.js';
import { issueWithClientAuthentication } from '../client-authentication.js';
import type { EngineFailure } from '../oauth-engine.js';
import { type HttpReply, jsonReply } from '../reply.js';
import { readTokenForm } from '../token-form.js';
import type { TokenDialect } from './dialect.js';

/**
 * A plain RFC 6749 token endpoint at whatever path a registered client names: a vendor with no
 * dialect of its own (a spec from `tokenman init`, say) still verifies locally. It reads every
 * encoding a spec can send and answers with the standard fields and error codes (§5.1, §5.2).
 * Which paths it serves is decided by the registry, so `matches` is never asked. Clients may also
 * authenticate with an RFC 7523 assertion (`aud` the token URL or the server's origin) or, on the
 * mTLS listener, an RFC 8705 certificate.
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
    const tokenUrl = `${request.origin}${request.path}`;
    const result = await issueWithClientAuthentication(
      form,
      request,
      deps,
      policy(tokenUrl, request.origin),
      {
        issuer: tokenUrl,
        idTokenOnOpenid: true,
      },
    );
    if (result.kind === 'refused') {
      const description =
        result.auth.kind === 'assertion_failed'
          ? `client assertion refused: ${result.auth.failure.detail}`
          : `client certificate refused: ${result.auth.problem.replace(/_/g, ' ')}`;
      return jsonReply(401, { error: 'invalid_client', error_description: description });
    }
    const { outcome } = result;
    if (!outcome.ok) return failureReply(outcome.failure);
    const { tokens } = outcome;
    return jsonReply(200, {
      access_token: tokens.accessToken,
      token_type: 'Bearer',
      expires_in: tokens.expiresIn,
      ...(tokens.refreshToken ? { refresh_token: tokens.refreshToken } : {}),
      ...(tokens.idToken ? { id_token: tokens.idToken } : {}),
      ...(tokens.scope ? { scope: tokens.scope } : {}),
      ...(tokens.issuedTokenType ? { issued_token_type: tokens.issuedTokenType } : {}),
    });
  },
};

function policy(tokenUrl: string, origin: string): AssertionPolicy {
  return {
    audiences: [tokenUrl, origin],
    algorithms: ['RS256', 'PS256', 'ES256', 'HS256'],
    leewaySeconds: 60,
    maxLifetimeSeconds: 3600,
    requireJti: true,
  };
}

function failureReply(failure: EngineFailure): HttpReply {
  const status = failure.reason === 'client' ? 401 : failure.reason === 'server' ? 500 : 400;
  return jsonReply(status, { error: failure.error, error_description: failure.description });
}
