// @ts-check
// An answer that refused or could not be read, in words a user can act on: the vendor's own error
// fields, a redirect named rather than followed, what to check after a refused certificate. Never
// a secret: every sentence is redacted before a client reports it.
import { tokenmanBlankJwts, tokenmanBlankSecretFields } from './redact.js';

/**
 * The URL without its query, which may carry credentials in the GET style.
 * @param {unknown} url
 * @returns {string}
 */
export function tokenmanSafeUrl(url) {
  return String(url).split('?')[0] || '';
}

/**
 * A vendor's words cut to `max` characters: an answer of megabytes makes no message.
 * @param {unknown} text
 * @param {number} max
 * @returns {string}
 */
export function tokenmanCut(text, max) {
  const words = String(text);
  return words.length > max ? `${words.slice(0, max)}...` : words;
}

/**
 * An answer's field names for a message, the first few (never a value).
 * @param {object} body
 * @returns {string}
 */
export function tokenmanFieldNames(body) {
  const names = Object.keys(body);
  const shown = names.slice(0, 20).map((name) => tokenmanCut(name, 40));
  return names.length > 20 ? `${shown.join(', ')} and ${names.length - 20} more` : shown.join(', ');
}

/**
 * One sentence saying why an endpoint refused, from the vendor's own error fields.
 * @param {number} code
 * @param {string | undefined} statusText
 * @param {string} text
 * @param {unknown} body
 * @returns {string}
 */
export function tokenmanDescribeFailure(code, statusText, text, body) {
  const words = `HTTP ${code}${statusText ? ` ${statusText}` : ''}`;
  if (body !== null && typeof body === 'object') {
    /** @type {Record<string, unknown>} */
    const fields = /** @type {any} */ (body);
    const parts = [];
    if (typeof fields.error === 'string') parts.push(fields.error);
    if (typeof fields.error_description === 'string') parts.push(fields.error_description);
    // API Connect answers {"status":401,"message":["..."]}; others use a plain message string.
    if (Array.isArray(fields.message)) parts.push(fields.message.join('; '));
    else if (typeof fields.message === 'string') parts.push(fields.message);
    // JWTs are blanked before the words are cut, so a cut cannot leave half of one; only a bounded
    // start is read, as megabytes of words would outlast the script's time limit.
    if (parts.length)
      return `${words}: ${tokenmanCut(tokenmanBlankJwts(parts.join(': ').slice(0, 16384)), 400)}`;
  }
  // Field values and JWTs are blanked before the text is cut, so a cut cannot split a token from its
  // name or leave half of one; only its start is read, for the same reason as above.
  const snippet = tokenmanBlankSecretFields(tokenmanBlankJwts(String(text || '').slice(0, 4096)))
    .replace(/\s+/g, ' ')
    .trim();
  if (!snippet) return `${words} with an empty body`;
  return `${words}: ${snippet.length > 120 ? `${snippet.slice(0, 120)}...` : snippet}`;
}

/**
 * What a refusal may mean when the client certificate is the credential (clientAuth tls): the
 * server rarely names the cause (XSUAA answers 401 Bad credentials), and the certificate is set
 * outside the collection, where the script cannot see it.
 * @param {string} clientAuth
 * @param {number} code
 * @returns {string}
 */
export function tokenmanCertificateRefusal(clientAuth, code) {
  if (clientAuth !== 'tls' || (code !== 400 && code !== 401 && code !== 403)) return '';
  return '; with clientAuth tls the client certificate identifies the client: check that one is set for this host and port, that it is the one registered for this client id, and that it has not expired';
}

/**
 * Why a 3xx answer is not followed: a 307 or 308 re-sends the body, client secret and password
 * included, to wherever it points. Every client is told not to follow redirects of token
 * requests, so one is seen here and named rather than obeyed.
 * @param {number} code
 * @param {string} location
 * @returns {string}
 */
export function tokenmanRedirectNote(code, location) {
  return (
    `the token endpoint redirects (HTTP ${code}) to ${tokenmanSafeUrl(location)}; a token request is ` +
    'not sent on, as it carries credentials: check the token URL, and use that address only if it ' +
    "is the vendor's own"
  );
}

/**
 * Words for a 2xx answer that is not a JSON object. Its body is never quoted: it may be a token
 * response behind a prefix such as )]} or before an HTML comment, with live tokens in it.
 * @param {number} code
 * @param {string | undefined} contentType
 * @param {string} text
 * @returns {string}
 */
export function tokenmanNotJsonNote(code, contentType, text) {
  const size = String(text || '').length;
  if (!size) return `the token endpoint answered HTTP ${code} but not with a JSON object: an empty body`;
  const type = contentType ? `${String(contentType).split(';')[0]}, ` : '';
  return (
    `the token endpoint answered HTTP ${code} but not with a JSON object ` +
    `(${type}${size} characters, not shown as they may hold a token)`
  );
}
