/**
 * Random bytes for the only two values of a client assertion that need any: the PS256 salt and
 * the jti. Both are public (the salt is recoverable from the signature, the jti is a claim), so
 * neither needs secrecy:
 * - PSS: RFC 8017 section 8.1 says "the randomness is not critical to security. In situations
 *   where random generation is not possible, a fixed value or a sequence number could be employed
 *   instead"; RS256 (no salt at all) and ES256 (RFC 6979 deterministic nonce) need no randomness.
 * - jti: must only differ between assertions within the server's replay window.
 * So the host's CSPRNG is used where there is one (the Postman app and Node have
 * crypto.getRandomValues) and Math.random where there is none: Newman's sandbox has no crypto at
 * all, and its crypto-js 3.x and uuid draw from Math.random too.
 * @param {number} length
 * @returns {Uint8Array}
 */
export function getRandomBytes(length) {
  const bytes = new Uint8Array(length);
  const host = typeof crypto === 'undefined' ? undefined : crypto;
  if (host && typeof host.getRandomValues === 'function') {
    host.getRandomValues(bytes);
    return bytes;
  }
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return bytes;
}
