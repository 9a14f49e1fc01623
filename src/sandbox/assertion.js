// @ts-check
// RFC 7523 assertions: signed by the collection's signer bundle as the request goes out, so iat and
// exp are now and nothing signed is ever stored.
import { tokenmanErrorText } from './network-words.js';

/**
 * The tokenmanSignJwt options of a signed assertion, every template resolved: RFC 7523 section 3
 * claims (iss, sub when there is one, aud, a scope claim for Google), iat and exp from now, a
 * random jti; kid and the certificate thumbprint in the header.
 * @param {import('./types.js').SignedAssertion} assertion
 * @param {(template: string) => string} resolve
 * @returns {Record<string, unknown>}
 */
export function tokenmanAssertionOptions(assertion, resolve) {
  /** @type {Record<string, string>} */
  const claims = { iss: resolve(assertion.issuer) };
  const subject = resolve(assertion.subject);
  if (subject) claims.sub = subject;
  claims.aud = resolve(assertion.audience);
  const scope = resolve(assertion.scope);
  if (scope) claims.scope = scope;
  /** @type {Record<string, unknown>} */
  const options = {
    alg: assertion.alg,
    key: resolve(assertion.key),
    claims: claims,
    times: { iat: 0, exp: assertion.lifetime },
    jti: true,
  };
  const kid = resolve(assertion.kid);
  if (kid) options.header = { kid: kid };
  if (assertion.certificate) {
    options.certificate = resolve(assertion.certificate);
    options.thumbprints = [assertion.thumbprint];
  }
  return options;
}

/**
 * The JWT of a signed or given assertion: signed now by the collection's signer bundle (`signers`,
 * by family), or read from the variable the spec names. { jwt }, or { error } with one sentence,
 * which never quotes key material (the signer's own never does).
 * @param {import('./types.js').AssertionPlan} assertion
 * @param {import('./types.js').SignerFamily | null} signer
 * @param {(template: string) => string} resolve
 * @param {import('./types.js').Signers} signers
 * @returns {{ jwt: string, error?: undefined } | { error: string, jwt?: undefined }}
 */
export function tokenmanSignAssertion(assertion, signer, resolve, signers) {
  if (assertion.source === 'variable') return { jwt: resolve(assertion.value) };
  try {
    const sign = signer ? signers[signer] : undefined;
    if (typeof sign !== 'function') {
      throw new Error(`this collection has no ${assertion.alg} signer; rebuild it with tokenman build`);
    }
    return { jwt: sign(tokenmanAssertionOptions(assertion, resolve)) };
  } catch (error) {
    return { error: `could not sign the assertion: ${tokenmanErrorText(error)}` };
  }
}
