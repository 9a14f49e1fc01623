// @ts-check
// A token request from a variant's planned parameters, in neutral terms each client's adapter
// translates.

/**
 * The UTF-8 bytes of a string, one per character, as btoa wants them: btoa keeps only the low byte
 * of each UTF-16 unit, where Postman's own Basic auth (and curl -u) send UTF-8.
 * @param {string} text
 * @returns {string}
 */
export function tokenmanUtf8Bytes(text) {
  return encodeURIComponent(text).replace(/%([0-9A-F]{2})/g, (_, hex) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/**
 * The HTTP Basic client authentication header value.
 * @param {{ encoding: 'raw' | 'rfc6749', id: string, secret: string }} basic
 * @param {(template: string) => string} resolve
 * @param {(text: string) => string} encodeBase64
 * @returns {string}
 */
export function tokenmanBasicAuth(basic, resolve, encodeBase64) {
  let id = resolve(basic.id);
  let secret = resolve(basic.secret);
  if (basic.encoding === 'rfc6749') {
    // RFC 6749 section 2.3.1: application/x-www-form-urlencoded before base64 (space as +). Curl -u and
    // Postman send both raw, which is the default.
    id = encodeURIComponent(id).replace(/%20/g, '+');
    secret = encodeURIComponent(secret).replace(/%20/g, '+');
  }
  return `Basic ${encodeBase64(tokenmanUtf8Bytes(`${id}:${secret}`))}`;
}

/**
 * application/x-www-form-urlencoded text of [name, value] pairs (a query, or a form body).
 * @param {Array<[string, string]>} pairs
 * @returns {string}
 */
export function tokenmanForm(pairs) {
  return pairs.map((pair) => `${encodeURIComponent(pair[0])}=${encodeURIComponent(pair[1])}`).join('&');
}

/**
 * The token request of a variant: its URL (with the parameters of the query encoding), its planned
 * headers and the Authorization of Basic client authentication, and its body.
 * @param {import('./types.js').VariantScript} variant
 * @param {string} url the resolved token URL
 * @param {Array<[string, string]>} params resolved
 * @param {Array<[string, string]>} headers resolved
 * @param {string} authorization '' for none
 * @returns {import('./types.js').SandboxRequest}
 */
export function tokenmanTokenRequest(variant, url, params, headers, authorization) {
  const all = authorization ? headers.concat([['Authorization', authorization]]) : headers.slice();
  if (variant.encoding === 'query') {
    const query = tokenmanForm(params);
    return {
      method: variant.method,
      url: url + (url.indexOf('?') < 0 ? '?' : '&') + query,
      headers: all,
      body: null,
    };
  }
  return {
    method: variant.method,
    url: url,
    headers: all,
    body: { encoding: variant.encoding, params: params },
  };
}

/**
 * A JSON object of the parameters, as a JSON body sends them (the last of a repeated name wins).
 * @param {Array<[string, string]>} params
 * @returns {Record<string, string>}
 */
export function tokenmanJsonOf(params) {
  /** @type {Record<string, string>} */
  const json = {};
  for (let i = 0; i < params.length; i++) {
    const pair = params[i];
    if (pair) json[pair[0]] = pair[1];
  }
  return json;
}
