import { mediaType } from '../body.js';
import type { EngineFailure } from '../oauth-engine.js';
import { type HttpReply, jsonReply } from '../reply.js';
import { readTokenForm } from '../token-form.js';
import { isKnownRealm } from './api-connect-idps.js';
import type { TokenDialect } from './dialect.js';

const PATH = '/api/token';

/** IBM API Connect management login: JSON only, a realm naming a user registry, `{status, message[]}` errors. */
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
