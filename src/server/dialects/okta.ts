import type { AssertionFailure, AssertionPolicy } from '../assertions.js';
import { issueWithClientAuthentication } from '../client-authentication.js';
import type { EngineFailure } from '../oauth-engine.js';
import { type HttpReply, jsonReply } from '../reply.js';
import { readTokenForm } from '../token-form.js';
import type { TokenDialect } from './dialect.js';

/** The org authorization server (/oauth2/v1/token) and custom ones such as /oauth2/default/v1/token. */
const TOKEN_PATH = /^\/oauth2(?:\/([^/]+))?\/v1\/token$/;

/**
 * Okta: client secrets, private_key_jwt (RS256, ES256; `kid` picks the key) and client_secret_jwt
 * (HS256), with `aud` the full token URL and `exp` at most an hour ahead. `jti` is optional, but a
 * used one is refused.
 */
export const okta: TokenDialect = {
  name: 'okta',

  matches(method, path) {
    return method === 'POST' && TOKEN_PATH.test(path);
  },

  parse(request, deps) {
    const { form, problem } = readTokenForm(request, deps.registry, { includeQuery: false });
    return problem ? { form, reject: oktaError(400, 'invalid_request', problem) } : { form };
  },

  async answer(form, request, deps) {
    const tokenUrl = `${request.origin}${request.path}`;
    const server = TOKEN_PATH.exec(request.path)?.[1];
    const result = await issueWithClientAuthentication(form, request, deps, policy(tokenUrl), {
      issuer: server === undefined ? request.origin : `${request.origin}/oauth2/${server}`,
      idTokenOnOpenid: false,
    });
    if (result.kind === 'refused') {
      return result.auth.kind === 'assertion_failed'
        ? assertionReply(result.auth.failure)
        : oktaError(401, 'invalid_client', CLIENT_FAILED);
    }
    const { outcome } = result;
    if (!outcome.ok) return failureReply(outcome.failure);
    return jsonReply(200, {
      token_type: 'Bearer',
      expires_in: outcome.tokens.expiresIn,
      access_token: outcome.tokens.accessToken,
      scope: outcome.tokens.scope,
    });
  },
};

const CLIENT_FAILED =
  'Client authentication failed. Either the client or the client credentials are invalid.';

function policy(tokenUrl: string): AssertionPolicy {
  return {
    audiences: [tokenUrl],
    algorithms: ['RS256', 'ES256', 'HS256'],
    leewaySeconds: 60,
    maxLifetimeSeconds: 3600,
    requireJti: false,
    // Okta's support article: a kid missing from the header is "The client_assertion JWT kid is invalid."
    keyHint: 'kid',
  };
}

/**
 * "The client_assertion signature is invalid." and "The client_assertion JWT kid is invalid." are
 * quoted from Okta's support articles; the other messages have no public capture here and are
 * worded in the same style.
 */
function assertionReply(failure: AssertionFailure): HttpReply {
  const messages: Partial<Record<AssertionFailure['problem'], string>> = {
    assertion_type:
      "The client_assertion_type must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.",
    malformed: 'The client_assertion token is invalid.',
    unknown_client: CLIENT_FAILED,
    missing_subject: "The client_assertion token must have 'iss' and 'sub' claims with the client_id value.",
    issuer_subject: "The client_assertion token must have 'iss' and 'sub' claims with the client_id value.",
    client_id_mismatch: 'The client_id does not match the client_assertion subject.',
    algorithm: 'The client_assertion token has an invalid signing algorithm.',
    key_not_found: 'The client_assertion JWT kid is invalid.',
    signature: 'The client_assertion signature is invalid.',
    audience: 'The audience claim for client_assertion must be the endpoint invoked for the request.',
    missing_exp: "The client_assertion token must have an 'exp' claim.",
    expired: 'The client_assertion token is expired.',
    not_yet_valid: 'The client_assertion token is not yet valid.',
    issued_in_future: 'The client_assertion token was issued in the future.',
    lifetime_too_long: 'The client_assertion token has an expiration too far into the future.',
    replayed: "The 'jti' claim in the client_assertion token has already been used.",
  };
  return oktaError(
    401,
    'invalid_client',
    messages[failure.problem] ?? 'The client_assertion token is invalid.',
  );
}

function failureReply(failure: EngineFailure): HttpReply {
  switch (failure.reason) {
    case 'client':
      return oktaError(401, 'invalid_client', CLIENT_FAILED);
    case 'scope':
      return oktaError(400, 'invalid_scope', 'The requested scope is invalid, unknown, or malformed.');
    case 'unsupported_grant':
      return oktaError(
        400,
        'unsupported_grant_type',
        'The authorization grant type is not supported by the authorization server.',
      );
    case 'unauthorized_grant':
      return oktaError(
        400,
        'unauthorized_client',
        'The client is not authorized to use the provided grant type.',
      );
    case 'user':
      return oktaError(400, 'invalid_grant', 'The credentials provided were invalid.');
    case 'server':
      return oktaError(500, 'server_error', failure.description);
    default:
      return oktaError(400, failure.error, failure.description);
  }
}

function oktaError(status: number, error: string, description: string): HttpReply {
  return jsonReply(status, { error, error_description: description });
}
