import { bytesToHex } from '@noble/hashes/utils.js';
import { base64urlnopad } from '@scure/base';
import { getRandomBytes } from './get-random-bytes.js';
import { isSignerError, signerError } from './signer-error.js';
import { signerHost } from './signer-host.js';

/** The time claims `times` may set, as offsets in seconds from `now`. */
const TIME_CLAIMS = ['iat', 'nbf', 'exp'];

/**
 * @typedef {object} SignOptions
 * @property {string} alg - a JWS algorithm of this bundle
 * @property {string} key - PEM private key (RS/PS/ES) or the shared secret (HS)
 * @property {Record<string, unknown>} claims - the payload, as given
 * @property {Record<string, unknown>} [header] - more header members (kid, ...); alg is the signer's
 * @property {string} [certificate] - PEM certificate whose thumbprints go into the header
 * @property {string[]} [thumbprints] - which of x5t, x5t#S256 (default: x5t#S256)
 * @property {number} [now] - seconds since the epoch (default: the clock)
 * @property {Record<string, number>} [times] - iat/nbf/exp as seconds after now, e.g. { iat: 0, exp: 300 }
 * @property {boolean} [jti] - add a random UUID v4 jti
 */

/**
 * The bundle's one global function: a compact JWS over the options' header and claims. Claims the
 * caller gives win over `times` and `jti`, so a spec can pin any of them.
 * @param {Record<string, (key: string, input: Uint8Array) => Uint8Array>} signers - by alg
 * @param {Record<string, (text: unknown) => string>} [thumbprint] - header member to thumbprint function; absent in HMAC
 * @returns {(options: SignOptions) => string}
 */
export function createSignJwt(signers, thumbprint) {
  return function tokenmanSignJwt(options) {
    if (!isRecord(options)) throw signerError('tokenmanSignJwt needs one options object.');
    const sign = typeof options.alg === 'string' ? signers[options.alg] : undefined;
    if (!sign || !Object.hasOwn(signers, options.alg))
      throw signerError(`alg must be one of ${Object.keys(signers).join(', ')} in this bundle.`);
    if (!isRecord(options.claims)) throw signerError('claims must be an object.');
    const now = options.now === undefined ? Math.floor(Date.now() / 1000) : options.now;
    if (!Number.isSafeInteger(now)) throw signerError('now must be whole seconds since 1970.');
    const header = assembleHeader(options, thumbprint);
    const claims = assembleClaims(options, now);
    // PS256 reaches for randomness through noble's randomBytes(globalThis.crypto); see signer-host.js.
    signerHost.crypto = { getRandomValues: fillRandom };
    const input = `${encodeJson(header, 'header')}.${encodeJson(claims, 'claims')}`;
    return `${input}.${base64urlnopad.encode(signOrExplain(sign, options, utf8(input)))}`;
  };
}

/**
 * Runs the alg's signer; an error that is not the signer's own sentence (a library's, whose text
 * tokenman cannot vouch for) becomes one that names only the alg.
 * @param {(key: string, input: Uint8Array) => Uint8Array} sign
 * @param {SignOptions} options
 * @param {Uint8Array} input
 */
function signOrExplain(sign, options, input) {
  try {
    return sign(options.key, input);
  } catch (error) {
    if (isSignerError(error)) throw error;
    throw signerError(`${options.alg} signing failed with this key (is it the right kind and intact?).`);
  }
}

/** @param {SignOptions} options @param {Record<string, Function> | undefined} thumbprint */
function assembleHeader(options, thumbprint) {
  if (options.header !== undefined && !isRecord(options.header))
    throw signerError('header must be an object.');
  const given = options.header ?? {};
  if (given.alg !== undefined && given.alg !== options.alg)
    throw signerError('header.alg differs from alg; leave it out, the signer sets it.');
  const header = { alg: options.alg, typ: 'JWT', ...given };
  if (options.certificate === undefined) {
    if (options.thumbprints !== undefined) throw signerError('thumbprints needs a certificate.');
    return header;
  }
  if (!thumbprint) throw signerError(`certificate thumbprints do not apply to ${options.alg}.`);
  const members = options.thumbprints ?? ['x5t#S256'];
  if (!Array.isArray(members) || members.some((member) => !Object.hasOwn(thumbprint, member)))
    throw signerError(`thumbprints must list some of ${Object.keys(thumbprint).join(', ')}.`);
  for (const member of members) header[member] = thumbprint[member](options.certificate);
  return header;
}

/** @param {SignOptions} options @param {number} now */
function assembleClaims(options, now) {
  const added = {};
  if (options.times !== undefined) {
    if (!isRecord(options.times)) throw signerError('times must be an object like { iat: 0, exp: 300 }.');
    for (const [claim, offset] of Object.entries(options.times)) {
      if (!TIME_CLAIMS.includes(claim) || !Number.isSafeInteger(offset))
        throw signerError(`times takes whole seconds for ${TIME_CLAIMS.join(', ')}.`);
      added[claim] = now + offset;
    }
  }
  if (options.jti !== undefined && options.jti !== false) {
    if (options.jti !== true) throw signerError('jti must be true or false.');
    added.jti = randomUuid();
  }
  return { ...added, ...options.claims };
}

/** An RFC 9562 version 4 UUID. */
function randomUuid() {
  const bytes = getRandomBytes(16);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytesToHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** getRandomValues as noble's randomBytes calls it: fill the array in place and return it. */
function fillRandom(/** @type {Uint8Array} */ array) {
  array.set(getRandomBytes(array.length));
  return array;
}

/** @param {unknown} value @param {string} what */
function encodeJson(value, what) {
  let json;
  try {
    json = JSON.stringify(value);
  } catch {
    throw signerError(`${what} cannot be written as JSON (a BigInt or a cycle?).`);
  }
  return base64urlnopad.encode(utf8(json));
}

/**
 * UTF-8 bytes of a string. The sandbox has no TextEncoder; encodeURIComponent yields UTF-8 as
 * %XX escapes around ASCII, and throws on lone surrogates, which JSON text must not carry anyway.
 * @param {string} text
 */
export function utf8(text) {
  let escaped;
  try {
    escaped = encodeURIComponent(text);
  } catch {
    throw signerError('the header, claims or key hold text that is not valid Unicode.');
  }
  const bytes = [];
  for (let i = 0; i < escaped.length; i++) {
    if (escaped[i] === '%') {
      bytes.push(Number.parseInt(escaped.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(escaped.charCodeAt(i));
  }
  return Uint8Array.from(bytes);
}

/** A plain object, also one made in another realm (Node's vm, the sandbox). @param {unknown} value */
function isRecord(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
