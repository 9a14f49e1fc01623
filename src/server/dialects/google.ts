import type { AssertionFailure, AssertionPolicy } from '../assertions.js';
import { issueForJwtBearer } from '../jwt-bearer-grant.js';
import { type HttpReply, jsonReply } from '../reply.js';
import { readTokenForm } from '../token-form.js';
import { JWT_BEARER_GRANT } from '../types.js';
import type { TokenDialect } from './dialect.js';
import { rfc6749 } from './rfc6749.js';

const PATH = '/token';

/**
 * Google's OAuth token endpoint for service accounts: the JWT-bearer grant, RS256 signed with the
 * key file's key (`kid` = private_key_id, optional), `iss` = client_email, `aud` = token_uri, a
 * `scope` claim, `exp` at most an hour after `iat`; `sub` only for domain-wide delegation.
 * `/token` is also where `tokenman init` puts many vendors' endpoints, so every other grant is
 * answered as the plain RFC 6749 endpoint would.
 */
export const google: TokenDialect = {
  name: 'google',

  matches(method, path) {
    return method === 'POST' && path === PATH;
  },

  parse(request, deps) {
    const { form, problem } = readTokenForm(request, deps.registry, { includeQuery: true });
    if (form.grant_type !== JWT_BEARER_GRANT) return rfc6749.parse(request, deps);
    return problem ? { form, reject: googleError('invalid_request', problem) } : { form };
  },

  async answer(form, request, deps) {
    if (form.grant_type !== JWT_BEARER_GRANT) return rfc6749.answer(form, request, deps);
    if (form.assertion === undefined)
      return googleError('invalid_request', 'Missing required parameter: assertion');
    const scope = scopeClaim(form.assertion);
    const outcome = await issueForJwtBearer(form.assertion, deps, policy(`${request.origin}${PATH}`), {
      issuer: request.origin,
      subjectMustBeUser: false,
      scope,
    });
    if (outcome.kind === 'refused') return assertionReply(outcome.failure, `${request.origin}${PATH}`);
    if (outcome.kind === 'not_allowed')
      return googleError(
        'unauthorized_client',
        'Client is unauthorized to retrieve access tokens using this method.',
      );
    if (scope === undefined || !outcome.outcome.ok) {
      // Also what an access-token request without a scope claim gets.
      return googleError('invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
    }
    return jsonReply(200, {
      access_token: outcome.outcome.tokens.accessToken,
      expires_in: outcome.outcome.tokens.expiresIn,
      token_type: 'Bearer',
    });
  },
};

function policy(tokenUrl: string): AssertionPolicy {
  return {
    audiences: [tokenUrl],
    algorithms: ['RS256'],
    leewaySeconds: 60,
    maxLifetimeSeconds: 3600,
    requireJti: false,
    requireIat: true,
    checkReplay: false,
  };
}

function scopeClaim(assertion: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload?.scope === 'string' && payload.scope !== '' ? payload.scope : undefined;
  } catch {
    return undefined;
  }
}

/**
 * "Invalid JWT Signature." and the short-lived-token message are quoted from public issue threads;
 * the account and audience messages are as reported there too but not checked here.
 */
function assertionReply(failure: AssertionFailure, tokenUrl: string): HttpReply {
  switch (failure.problem) {
    case 'unknown_client':
      return googleError('invalid_grant', 'Invalid grant: account not found');
    case 'malformed':
    case 'algorithm':
    case 'key_not_found':
    case 'signature':
      return googleError('invalid_grant', 'Invalid JWT Signature.');
    case 'audience':
      return googleError(
        'invalid_grant',
        `Invalid JWT: Failed audience check. The right audience is ${tokenUrl}`,
      );
    default:
      return googleError(
        'invalid_grant',
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
      );
  }
}

function googleError(error: string, description: string): HttpReply {
  return jsonReply(400, { error, error_description: description });
}
