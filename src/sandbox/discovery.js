// @ts-check
// OpenID Connect discovery: the token endpoint read from the issuer's document.

import { tokenmanCut, tokenmanDescribeFailure, tokenmanFieldNames, tokenmanSafeUrl } from './answer-words.js';
import { tokenmanBlankSecretFields } from './redact.js';
import { tokenmanLookup } from './response-path.js';

/**
 * host[:port] of an absolute URL, lower-cased, without user info and without its scheme's default
 * port (so http://a and https://a:443 are both "a"); '' for anything else.
 * @param {unknown} url
 * @returns {string}
 */
export function tokenmanUrlAuthority(url) {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?/i.exec(String(url));
  if (!match) return '';
  const scheme = (match[1] || '').toLowerCase();
  const port = match[3] || '';
  const usual = port === '' || (scheme === 'https' && port === '443') || (scheme === 'http' && port === '80');
  return (match[2] || '').toLowerCase() + (usual ? '' : `:${port}`);
}

/**
 * The token endpoint an OpenID Connect discovery answer names, as { endpoint }, or { error } in
 * words: `fields` are where it may be, the first present wins (the mTLS alias, then token_endpoint).
 * A redirect is not followed (the client may have followed one silently: the issuer's host says so).
 * @param {string} url
 * @param {import('./types.js').SandboxAnswer} answer
 * @param {string[]} fields
 * @returns {{ endpoint: string, error?: undefined } | { error: string, endpoint?: undefined }}
 */
export function tokenmanReadDiscovery(url, answer, fields) {
  const where = `the discovery document at ${tokenmanSafeUrl(url)}`;
  const code = answer.code;
  const location = answer.header('location');
  if (code >= 300 && code < 400 && location) {
    return {
      error:
        `${where} redirects (HTTP ${code}) to ${tokenmanSafeUrl(location)}; tokenman does not follow ` +
        "it: set token.discovery to that address if it is the issuer's own",
    };
  }
  if (code !== 200) {
    return {
      error: `${where} could not be read: ${tokenmanDescribeFailure(code, answer.status, answer.text, answer.body)}`,
    };
  }
  const body = answer.body;
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    const snippet = tokenmanBlankSecretFields(String(answer.text || '').slice(0, 4096))
      .replace(/\s+/g, ' ')
      .trim();
    const contentType = answer.header('content-type');
    const type = contentType ? `${String(contentType).split(';')[0]}: ` : '';
    const shown = snippet.length > 80 ? `${snippet.slice(0, 80)}...` : snippet;
    return { error: `${where} is not a JSON object (${type}${shown || 'an empty body'})` };
  }
  /** @type {Record<string, unknown>} */
  const document = /** @type {any} */ (body);
  // OpenID Connect Discovery 1.0 section 4.3: the issuer is the address the document was asked at.
  // Its host is what a redirect to another host, followed by the client on its own, changes.
  if (
    typeof document.issuer === 'string' &&
    tokenmanUrlAuthority(document.issuer) !== tokenmanUrlAuthority(url)
  ) {
    return {
      error:
        `${where} names the issuer ${tokenmanSafeUrl(document.issuer)}, on another host or port: a redirect ` +
        "may have been followed; set token.discovery to the issuer's own document",
    };
  }
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] || '';
    const value = tokenmanLookup(document, field);
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' && /^https:\/\/[^/?#\s]/i.test(value)) return { endpoint: value };
    // OpenID Connect Discovery 1.0 section 3 wants every endpoint over TLS: an https document that
    // names an http endpoint would send the credentials in clear. Only the loopback stays http.
    if (typeof value === 'string' && /^http:\/\/[^/?#\s]/i.test(value)) {
      if (tokenmanIsLoopback(value)) return { endpoint: value };
      return {
        error:
          `${where} names ${field} ${tokenmanCut(tokenmanSafeUrl(value), 200)}, which is not https: ` +
          'the credentials would be sent in clear, so nothing was sent; OpenID Connect Discovery requires https',
      };
    }
    return {
      error: `${where} has a ${field} that is not an https URL: ${tokenmanCut(JSON.stringify(value), 80)}`,
    };
  }
  return { error: `${where} has no ${fields.join(' or ')} (fields: ${tokenmanFieldNames(document)})` };
}

/**
 * An http URL on this machine (127.0.0.1, localhost, [::1]), where nothing goes over a network.
 * @param {string} url
 * @returns {boolean}
 */
export function tokenmanIsLoopback(url) {
  return /^https?:\/\/(?:[^@/?#]*@)?(?:127\.0\.0\.1|localhost|\[::1\])(?::\d*)?(?:[/?#]|$)/i.test(
    String(url),
  );
}
