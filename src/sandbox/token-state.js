// @ts-check
// The token a script keeps between requests, and every message redacted with what is kept.
import { tokenmanExpiresAt, tokenmanRenewAt } from './expiry.js';
import { tokenmanRedact } from './redact.js';

/** @typedef {import('./types.js').SandboxContext} SandboxContext */
/** @typedef {import('./types.js').StateNames} StateNames */

/**
 * Drops the token, and the token endpoint read by discovery: it is read again after a failure.
 * @param {SandboxContext['state']} state
 * @param {StateNames} names
 */
export function tokenmanClearToken(state, names) {
  state.unset(names.token);
  state.unset(names.expiresAt);
  state.unset(names.renewAt);
  state.unset(names.endpoint);
  state.unset(names.discovery);
}

/**
 * Keeps a token and when to renew it; the refresh token too when the variant uses one.
 * @param {SandboxContext} runtime
 * @param {StateNames} names
 * @param {any} body the token answer
 * @param {string} token
 * @param {number} now when the request was sent
 * @param {{ response: import('./types.js').AnswerSettings, refresh: boolean }} variant
 * @returns {{ at: number, source: string }}
 */
export function tokenmanStoreToken(runtime, names, body, token, now, variant) {
  const expiry = tokenmanExpiresAt(body, token, variant.response, now, runtime.unbase64);
  const state = runtime.state;
  state.set(names.token, token);
  state.set(names.expiresAt, String(expiry.at));
  state.set(names.renewAt, String(tokenmanRenewAt(expiry.at, now, variant.response.skew)));
  state.unset(names.failedAt);
  state.unset(names.error);
  const refresh = body.refresh_token;
  if (variant.refresh && typeof refresh === 'string' && refresh) state.set(names.refresh, refresh);
  else state.unset(names.refresh);
  return expiry;
}

/**
 * The message with the spec's secret values, the kept token and refresh token and any `extra`
 * value (an assertion, a token from the answer at hand) blanked out.
 * @param {SandboxContext} runtime
 * @param {{ names: StateNames, secrets: string[] }} config
 * @param {string} message
 * @param {unknown[]} [extra]
 * @returns {string}
 */
export function tokenmanRedactMessage(runtime, config, message, extra) {
  /** @type {unknown[]} */
  const values = config.secrets.map((name) => runtime.get(name));
  values.push(runtime.state.get(config.names.token), runtime.state.get(config.names.refresh));
  return tokenmanRedact(message, values.concat(extra || []));
}
