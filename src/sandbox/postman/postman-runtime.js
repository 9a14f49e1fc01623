// @ts-check
// The token flow's runtime in Postman's sandbox: the context, and the script's own requests.
import { tokenmanPostmanAnswer, tokenmanPostmanContext } from './postman-context.js';

/**
 * A neutral request as pm.sendRequest takes it. `auth: noauth`: a runner that applies the
 * collection's Bearer auth to a script's requests (the Postman CLI's v3 runs) must not send an old
 * token to the token endpoint, nor replace its Basic client authentication.
 * @param {import('../types.js').SandboxRequest} request
 * @returns {Record<string, unknown>}
 */
export function tokenmanPostmanRequest(request) {
  /** @type {Record<string, unknown>} */
  const definition = {
    url: request.url,
    method: request.method,
    header: request.headers.map((pair) => ({ key: pair[0], value: pair[1] })),
    auth: { type: 'noauth' },
  };
  if (request.body) definition.body = tokenmanPostmanBody(request.body);
  return definition;
}

/**
 * A body in Postman's terms.
 * @param {NonNullable<import('../types.js').SandboxRequest['body']>} body
 * @returns {Record<string, unknown>}
 */
export function tokenmanPostmanBody(body) {
  const pairs = body.params.map((pair) => ({ key: pair[0], value: pair[1] }));
  if (body.encoding === 'form-data') {
    return {
      mode: 'formdata',
      formdata: pairs.map((pair) => ({ key: pair.key, value: pair.value, type: 'text' })),
    };
  }
  if (body.encoding === 'json') {
    /** @type {Record<string, string>} */
    const json = {};
    for (let i = 0; i < pairs.length; i++) {
      const pair = pairs[i];
      if (pair) json[pair.key] = pair.value;
    }
    return { mode: 'raw', raw: JSON.stringify(json), options: { raw: { language: 'json' } } };
  }
  return { mode: 'urlencoded', urlencoded: pairs };
}

/**
 * The flow's runtime over pm: its context, and its own requests sent with pm.sendRequest.
 * @param {any} pm
 * @param {import('../types.js').StateNames} names
 * @returns {import('../types.js').SandboxRuntime}
 */
export function tokenmanPostmanRuntime(pm, names) {
  const context = tokenmanPostmanContext(pm, names);
  return Object.assign(context, {
    /**
     * @param {import('../types.js').SandboxRequest} request
     * @param {(error: unknown, answer?: import('../types.js').SandboxAnswer) => void} done
     */
    send: (request, done) => {
      pm.sendRequest(
        tokenmanPostmanRequest(request),
        (/** @type {unknown} */ error, /** @type {any} */ response) => {
          if (error || !response) return done(error || new Error('no answer'));
          done(null, tokenmanPostmanAnswer(response));
        },
      );
    },
    /** @param {import('../types.js').SandboxRequest} request */
    sendAs: (request) => {
      if (request.body) pm.request.body.update(tokenmanPostmanBody(request.body));
      else pm.request.url.update(request.url);
      // Postman's own Basic auth, where the request has it, sends id:secret raw; any other
      // Authorization (the RFC 6749 form) is the script's to write.
      const usesBasic = pm.request.auth && pm.request.auth.type === 'basic';
      for (let i = 0; i < request.headers.length; i++) {
        const header = request.headers[i];
        if (header && header[0] === 'Authorization' && !usesBasic) {
          pm.request.headers.upsert({ key: header[0], value: header[1] });
        }
      }
    },
  });
}
