import { createHash } from 'node:crypto';
import type { AssertionFailure, AssertionPolicy } from '../assertions.js';
import type { Fields } from '../body.js';
import { issueWithClientAuthentication } from '../client-authentication.js';
import { issueForJwtBearer } from '../jwt-bearer-grant.js';
import type { IssuedTokenSet } from '../oauth-engine.js';
import { type HttpReply, jsonReply } from '../reply.js';
import { readTokenForm } from '../token-form.js';
import { JWT_BEARER_GRANT } from '../types.js';
import type { DialectDeps, TokenDialect, TokenRequest } from './dialect.js';

const PATH = '/services/oauth2/token';

/** Salesforce's own login hosts are valid audiences whichever My Domain host takes the request. */
const LOGIN_AUDIENCES = ['https://login.salesforce.com', 'https://test.salesforce.com'];

/**
 * Salesforce's OAuth 2.0 JWT bearer flow: RS256, `iss` = the connected app's consumer key, `sub` =
 * a user who may use it, `aud` = the login host, `exp` judged with three minutes of clock skew. The
 * answer carries `instance_url` and `id`, and no expires_in or refresh token. Its username-password
 * and client-credentials flows are served too, with Salesforce's wording for their failures.
 */
export const salesforce: TokenDialect = {
  name: 'salesforce',

  matches(method, path) {
    return method === 'POST' && path === PATH;
  },

  parse(request, deps) {
    const { form, problem } = readTokenForm(request, deps.registry, { includeQuery: false });
    return problem ? { form, reject: salesforceError('invalid_request', problem) } : { form };
  },

  async answer(form, request, deps) {
    if (form.grant_type !== JWT_BEARER_GRANT) return answerWithSecret(form, request, deps);
    if (form.assertion === undefined) return salesforceError('invalid_grant', 'invalid assertion');
    const outcome = await issueForJwtBearer(form.assertion, deps, policy(request.origin), {
      issuer: request.origin,
      subjectMustBeUser: true,
      scope: undefined,
    });
    if (outcome.kind === 'refused') return assertionReply(outcome.failure);
    if (outcome.kind === 'not_allowed')
      return salesforceError('invalid_grant', "user hasn't approved this consumer");
    if (!outcome.outcome.ok) return salesforceError('invalid_grant', outcome.outcome.failure.description);
    return tokenReply(outcome.outcome.tokens, outcome.subject, request.origin);
  },
};

async function answerWithSecret(form: Fields, request: TokenRequest, deps: DialectDeps): Promise<HttpReply> {
  const result = await issueWithClientAuthentication(form, request, deps, secretPolicy(request.origin), {
    issuer: request.origin,
    idTokenOnOpenid: false,
  });
  if (result.kind === 'refused') return salesforceError('invalid_client', 'invalid client credentials');
  const { outcome } = result;
  if (outcome.ok) {
    const subject = form.grant_type === 'password' ? (form.username ?? '') : (form.client_id ?? '');
    return tokenReply(outcome.tokens, subject, request.origin);
  }
  switch (outcome.failure.reason) {
    case 'client':
      return deps.registry.get(form.client_id ?? '')
        ? salesforceError('invalid_client', 'invalid client credentials')
        : salesforceError('invalid_client_id', 'client identifier invalid');
    case 'user':
      return salesforceError('invalid_grant', 'authentication failure');
    case 'unsupported_grant':
    case 'unauthorized_grant':
      return salesforceError('unsupported_grant_type', 'grant type not supported');
    default:
      return salesforceError(outcome.failure.error, outcome.failure.description);
  }
}

function tokenReply(tokens: IssuedTokenSet, subject: string, origin: string): HttpReply {
  return jsonReply(200, {
    access_token: tokens.accessToken,
    scope: tokens.scope,
    instance_url: origin,
    id: `${origin}/id/00D000000000001AAA/${userId(subject)}`,
    token_type: 'Bearer',
  });
}

function secretPolicy(origin: string): AssertionPolicy {
  return { ...policy(origin), requireJti: false };
}

function policy(origin: string): AssertionPolicy {
  return {
    audiences: [origin, ...LOGIN_AUDIENCES],
    algorithms: ['RS256'],
    leewaySeconds: 180,
    maxLifetimeSeconds: 3600,
    requireJti: false,
    checkReplay: false,
  };
}

/**
 * "invalid assertion", "audience is invalid" and "expired authorization code" (an expired JWT) are
 * quoted from public captures; "client identifier invalid" is Salesforce's usual answer to an
 * unknown consumer key, not captured for this flow here.
 */
function assertionReply(failure: AssertionFailure): HttpReply {
  switch (failure.problem) {
    case 'unknown_client':
      return salesforceError('invalid_client_id', 'client identifier invalid');
    case 'audience':
      return salesforceError('invalid_grant', 'audience is invalid');
    case 'expired':
      return salesforceError('invalid_grant', 'expired authorization code');
    default:
      return salesforceError('invalid_grant', 'invalid assertion');
  }
}

/** An 18-character user id in Salesforce's shape, stable per user name. */
function userId(username: string): string {
  return `005${createHash('sha256').update(username).digest('hex').slice(0, 12).toUpperCase()}AAA`;
}

function salesforceError(error: string, description: string): HttpReply {
  return jsonReply(400, { error, error_description: description });
}
