import { type Fields, mediaType } from '../body.js';
import type { EngineFailure } from '../oauth-engine.js';
import { type HttpReply, jsonReply } from '../reply.js';
import { readTokenForm } from '../token-form.js';
import { isKnownRealm } from './api-connect-idps.js';
import type { DialectDeps, TokenDialect } from './dialect.js';

const PATH = '/api/token';

/**
 * IBM API Connect management login: JSON only, a realm naming a user registry, `{status, message[]}`
 * errors. v10 also exchanges a user's API key (`grant_type: api_key`, no realm) for a token.
 */
export const apiConnect: TokenDialect = {
  name: 'api-connect',

  matches(method, path) {
    return method === 'POST' && path === PATH;
  },

  parse(request, deps) {
    const { form, problem } = readTokenForm(request, deps.registry, { includeQuery: false });
    if (mediaType(request.headers['content-type']) !== 'application/json') {
      return { form, reject: apicError(400, 'Content-Type must be application/json') };
    }
    return problem ? { form, reject: apicError(400, `Invalid request body: ${problem}`) } : { form };
  },

  async answer(form, _request, deps) {
    if (form.grant_type === 'api_key') return answerApiKey(form, deps);
    if (!isKnownRealm(form.realm)) return apicError(401, `Invalid realm ${form.realm ?? ''}`.trim());
    const outcome = await deps.engine.issue(form, { issuer: `${deps.baseUrl}/api`, idTokenOnOpenid: false });
    if (!outcome.ok) return failureReply(outcome.failure);
    return jsonReply(200, {
      access_token: outcome.tokens.accessToken,
      token_type: 'Bearer',
      expires_in: outcome.tokens.expiresIn,
    });
  },
};

/** No public capture of API Connect's answer to a bad API key; it is worded like its other 401s. */
async function answerApiKey(form: Fields, deps: DialectDeps): Promise<HttpReply> {
  const clientId = form.client_id ?? '';
  if (!deps.registry.authenticates(clientId, form.client_secret))
    return apicError(401, 'Invalid client credentials');
  const client = deps.registry.get(clientId);
  if (!client?.grants.includes('api_key')) return apicError(400, 'Unsupported grant type api_key');
  const owner = (client.apiKeys ?? []).find((entry) => entry.apiKey === form.api_key);
  if (!owner) return apicError(401, 'Invalid API key');
  const outcome = await deps.engine.issue(
    { grant_type: 'client_credentials', client_id: clientId },
    {
      issuer: `${deps.baseUrl}/api`,
      idTokenOnOpenid: false,
      authenticated: { clientId, subject: owner.username, grantChecked: true },
    },
  );
  if (!outcome.ok) return failureReply(outcome.failure);
  return jsonReply(200, {
    access_token: outcome.tokens.accessToken,
    token_type: 'Bearer',
    expires_in: outcome.tokens.expiresIn,
  });
}

function apicError(status: number, message: string): HttpReply {
  return jsonReply(status, { status, message: [message] });
}

function failureReply(failure: EngineFailure): HttpReply {
  switch (failure.reason) {
    case 'client':
      return apicError(401, 'Invalid client credentials');
    case 'user':
      return apicError(401, 'Invalid username or password');
    case 'server':
      return apicError(500, failure.description);
    default:
      return apicError(400, failure.description);
  }
}
