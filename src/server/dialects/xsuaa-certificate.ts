import type { AssertionPolicy } from '../assertions.js';
import { issueWithClientAuthentication } from '../client-authentication.js';
import { jsonReply } from '../reply.js';
import { readTokenForm } from '../token-form.js';
import type { TokenDialect } from './dialect.js';
import { failureReply, PATH, tokenReply } from './xsuaa.js';

/**
 * SAP XSUAA's certificate endpoint (`certurl` of an x509 service key): the same /oauth/token on a
 * host of its own that asks for a client certificate, with client_id in the body and no secret.
 * There is no public capture of what it answers to a missing, untrusted or expired certificate;
 * it is answered like every other XSUAA credential failure, 401 "Bad credentials".
 */
export const xsuaaCertificate: TokenDialect = {
  name: 'xsuaa-certificate',

  matches(method, path, listener) {
    return listener === 'mtls' && path === PATH && (method === 'POST' || method === 'GET');
  },

  parse(request, deps) {
    const { form, problem } = readTokenForm(request, deps.registry, { includeQuery: true });
    return problem
      ? { form, reject: failureReply({ reason: 'request', error: 'invalid_request', description: problem }) }
      : { form };
  },

  async answer(form, request, deps) {
    const tokenUrl = `${request.origin}${PATH}`;
    const result = await issueWithClientAuthentication(form, request, deps, policy(tokenUrl), {
      issuer: tokenUrl,
      idTokenOnOpenid: false,
    });
    if (result.kind === 'refused') {
      return jsonReply(401, { error: 'unauthorized', error_description: 'Bad credentials' });
    }
    return result.outcome.ok ? tokenReply(result.outcome.tokens) : failureReply(result.outcome.failure);
  },
};

// XSUAA also takes private_key_jwt assertions on this host; they are judged like the generic endpoint's.
function policy(tokenUrl: string): AssertionPolicy {
  return {
    audiences: [tokenUrl],
    algorithms: ['RS256', 'PS256', 'ES256'],
    leewaySeconds: 60,
    maxLifetimeSeconds: 3600,
    requireJti: true,
  };
}
