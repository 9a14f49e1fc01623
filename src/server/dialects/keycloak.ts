import { randomUUID } from 'node:crypto';
import { type AssertionFailure, type AssertionPolicy, CLIENT_ASSERTION_TYPE } from '../assertions.js';
import type { Fields } from '../body.js';
import { issueWithClientAuthentication } from '../client-authentication.js';
import type { EngineFailure } from '../oauth-engine.js';
import { type HttpReply, jsonReply } from '../reply.js';
import { readTokenForm } from '../token-form.js';
import type { TokenDialect } from './dialect.js';

const TOKEN_PATH = /^\/realms\/([^/]+)\/protocol\/openid-connect\/token$/;

/**
 * Keycloak: any realm, urlencoded or multipart, public clients, id_token for the openid scope, and
 * signed-JWT clients ("Signed JWT" = private_key_jwt, "Signed JWT with Client Secret" = HS256).
 */
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
    const issuer = `${request.origin}/realms/${realm}`;
    const result = await issueWithClientAuthentication(form, request, deps, policy(issuer), {
      issuer,
      idTokenOnOpenid: true,
    });
    if (result.kind === 'refused') {
      return result.auth.kind === 'assertion_failed'
        ? assertionReply(result.auth.failure, form)
        : INVALID_CLIENT;
    }
    const { outcome } = result;
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
      ...(tokens.issuedTokenType ? { issued_token_type: tokens.issuedTokenType } : {}),
    });
  },
};

const INVALID_CLIENT = jsonReply(401, {
  error: 'invalid_client',
  error_description: 'Invalid client or Invalid client credentials',
});

/**
 * Keycloak's JWT client validator: the issuer or any of the realm's endpoints as `aud`, 15 s of clock
 * skew, an `iat` at most 60 s old (the client's default "Max expiration") and a single-use `jti`.
 */
function policy(issuer: string): AssertionPolicy {
  const endpoint = `${issuer}/protocol/openid-connect`;
  return {
    audiences: [issuer, `${endpoint}/token`, `${endpoint}/token/introspect`, `${endpoint}/ext/par/request`],
    algorithms: ['RS256', 'PS256', 'ES256', 'HS256'],
    leewaySeconds: 15,
    maxLifetimeSeconds: 3600,
    maxAgeSeconds: 60,
    requireJti: true,
  };
}

/** The reasons are Keycloak 26's own texts (JWTClientValidator), after its common prefix. */
const ASSERTION_REASONS: Partial<Record<AssertionFailure['problem'], string>> = {
  malformed: 'Signature on JWT token failed validation',
  missing_subject: 'Token sub claim is required',
  client_id_mismatch: 'client_id parameter does not match authenticated client',
  algorithm: 'Invalid signature algorithm',
  key_not_found: 'Unable to load public key',
  signature: 'Signature on JWT token failed validation',
  audience: 'Invalid token audience',
  missing_exp: 'Token exp claim is required',
  expired: 'Token is not active',
  not_yet_valid: 'Token is not active',
  issued_in_future: 'Token was issued in the future',
  too_old: 'Token was issued too far in the past to be used now',
  missing_jti: 'Token jti claim is required',
  replayed: 'Token reuse detected',
};

function assertionReply(failure: AssertionFailure, form: Fields): HttpReply {
  // An unknown client, or iss ≠ sub (the authenticator then steps aside), ends as a plain invalid_client.
  const reason =
    failure.problem === 'assertion_type'
      ? `Parameter client_assertion_type has value '${form.client_assertion_type ?? ''}' but expected is '${CLIENT_ASSERTION_TYPE}'`
      : ASSERTION_REASONS[failure.problem];
  if (!reason) return INVALID_CLIENT;
  return jsonReply(400, {
    error: 'invalid_client',
    error_description: `Client authentication with signed JWT failed: ${reason}`,
  });
}

function failureReply(failure: EngineFailure): HttpReply {
  switch (failure.reason) {
    case 'client':
      return INVALID_CLIENT;
    case 'user':
      return jsonReply(401, { error: 'invalid_grant', error_description: 'Invalid user credentials' });
    case 'refresh_token':
      return jsonReply(400, { error: 'invalid_grant', error_description: 'Invalid refresh token' });
    case 'subject_token':
      return jsonReply(400, { error: 'invalid_token', error_description: 'Invalid token' });
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
