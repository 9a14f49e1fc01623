// @ts-check
// When a token stops being usable and when to renew it.
import { tokenmanLookup } from './response-path.js';

/**
 * The longest a token is kept, in seconds: a year. An answer such as expires_in 1e306 would put the
 * expiry past what a number holds (never fresh: a token call before every request) or thousands of
 * years away (never renewed, even after the vendor revoked it). Access tokens live minutes to days;
 * a year honours every real lifetime and still renews a token that claims to live forever.
 */
export const TOKENMAN_MAX_LIFETIME_SECONDS = 365 * 24 * 60 * 60;

/**
 * The JWT's exp claim in seconds, or undefined when the token is not a JWT with a numeric exp.
 * @param {string} token
 * @param {(text: string) => string} decodeBase64
 * @returns {number | undefined}
 */
export function tokenmanJwtExp(token, decodeBase64) {
  const parts = String(token).split('.');
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  try {
    let payload = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    while (payload.length % 4) payload += '=';
    const claims = JSON.parse(decodeBase64(payload));
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp : undefined;
  } catch (_e) {
    return undefined;
  }
}

/**
 * When the token stops being usable, in epoch ms: expires_in when it is a positive number, else the
 * JWT's exp when it lies in the future, else the spec's fallback lifetime; never beyond the cap.
 * @param {unknown} body
 * @param {string} token
 * @param {{ expiresInPath: string, fallbackLifetime: number }} settings
 * @param {number} now
 * @param {(text: string) => string} decodeBase64
 * @returns {{ at: number, source: string }}
 */
export function tokenmanExpiresAt(body, token, settings, now, decodeBase64) {
  const latest = now + TOKENMAN_MAX_LIFETIME_SECONDS * 1000;
  /** @param {number} at @param {string} source */
  const capped = (at, source) =>
    at > latest ? { at: latest, source: `${source}, capped at a year` } : { at: at, source: source };
  const expiresIn = tokenmanLookup(body, settings.expiresInPath);
  if (typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0) {
    return capped(now + expiresIn * 1000, settings.expiresInPath);
  }
  const exp = tokenmanJwtExp(token, decodeBase64);
  if (exp !== undefined && exp * 1000 > now) return capped(exp * 1000, 'the JWT exp claim');
  return capped(now + settings.fallbackLifetime * 1000, 'the fallback lifetime');
}

/**
 * A cached token is renewed `skew` seconds early, but never so early that it is never used.
 * @param {number} expiresAt
 * @param {number} obtainedAt
 * @param {number} skewSeconds
 * @returns {number}
 */
export function tokenmanRenewAt(expiresAt, obtainedAt, skewSeconds) {
  const lifetime = expiresAt - obtainedAt;
  return expiresAt - Math.min(skewSeconds * 1000, lifetime / 2);
}
