// @ts-check
// The token flow's runtime in Bruno: the context, and the script's own requests.
import { tokenmanForm, tokenmanJsonOf } from '../token-request.js';
import { tokenmanBrunoAnswer, tokenmanBrunoContext, tokenmanBrunoHeader } from './bruno-context.js';

/**
 * A multipart/form-data body of text fields, built by hand: bru.sendRequest has no FormData.
 * @param {Array<[string, string]>} pairs
 * @param {string} boundary
 * @returns {string}
 */
export function tokenmanBrunoMultipart(pairs, boundary) {
  let body = '';
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    if (!pair) continue;
    const name = String(pair[0]).replace(/"/g, '%22').replace(/\r|\n/g, ' ');
    body += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${pair[1]}\r\n`;
  }
  return `${body}--${boundary}--\r\n`;
}

/**
 * The bru.sendRequest options (axios) of a neutral request. validateStatus: null resolves every
 * status (the safe sandbox drops error.response from a rejection, and with it the vendor's words);
 * maxRedirects: 0, so a redirect is seen and named, never followed with the credentials.
 * @param {import('../types.js').SandboxRequest} request
 * @param {number} timeout
 * @returns {Record<string, unknown>}
 */
export function tokenmanBrunoRequest(request, timeout) {
  /** @type {Record<string, string>} */
  const headers = {};
  for (let i = 0; i < request.headers.length; i++) {
    const header = request.headers[i];
    if (header) headers[header[0]] = header[1];
  }
  /** @type {Record<string, unknown>} */
  const options = {
    method: request.method,
    url: request.url,
    headers: headers,
    timeout: timeout,
    maxRedirects: 0,
    validateStatus: null,
  };
  const body = request.body;
  if (!body) return options;
  if (body.encoding === 'form-data') {
    const boundary = `----tokenman${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
    headers['Content-Type'] = `multipart/form-data; boundary=${boundary}`;
    options.data = tokenmanBrunoMultipart(body.params, boundary);
  } else if (body.encoding === 'json') {
    options.data = JSON.stringify(tokenmanJsonOf(body.params));
  } else {
    options.data = tokenmanForm(body.params);
  }
  return options;
}

/**
 * The flow's runtime over bru and req: its context, and its own requests sent with bru.sendRequest.
 * @param {any} bru
 * @param {any} req
 * @param {number} timeout milliseconds a script's request may take
 * @returns {import('../types.js').SandboxRuntime}
 */
export function tokenmanBrunoRuntime(bru, req, timeout) {
  const context = tokenmanBrunoContext(bru, req, () => {});
  return Object.assign(context, {
    /**
     * @param {import('../types.js').SandboxRequest} request
     * @param {(error: unknown, answer?: import('../types.js').SandboxAnswer) => void} done
     */
    send: (request, done) => {
      bru.sendRequest(tokenmanBrunoRequest(request, timeout)).then(
        (/** @type {any} */ response) => {
          done(
            null,
            tokenmanBrunoAnswer(response.status, response.statusText, response.data, (name) =>
              tokenmanBrunoHeader(response.headers, name),
            ),
          );
        },
        (/** @type {unknown} */ error) => {
          done(error);
        },
      );
    },
    /** @param {import('../types.js').SandboxRequest} request */
    sendAs: (request) => {
      const body = request.body;
      if (!body) req.setUrl(request.url);
      else if (body.encoding === 'json') req.setBody(tokenmanJsonOf(body.params));
      else {
        req.setBody(
          body.params.map((pair) => {
            /** @type {Record<string, unknown>} */
            const entry = { name: pair[0], value: pair[1], enabled: true };
            if (body.encoding === 'form-data') entry.type = 'text';
            return entry;
          }),
        );
      }
      // Basic client authentication: the request file sends none of its own.
      for (let i = 0; i < request.headers.length; i++) {
        const header = request.headers[i];
        if (header && header[0] === 'Authorization') req.setHeader(header[0], header[1]);
      }
    },
  });
}
