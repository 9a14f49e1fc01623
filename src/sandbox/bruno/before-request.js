// @ts-check
// The collection's before-request script in Bruno: every request gets a fresh token before it goes
// out. When it cannot, the script throws: Bruno then does not send the request and counts it as
// failed, with the vendor's own words in the message.
import { tokenmanBeforeRequest } from '../token-flow.js';
import { tokenmanBrunoRuntime } from './bruno-runtime.js';

/**
 * @param {any} bru
 * @param {any} req
 * @param {import('../types.js').ScriptConfig} config
 * @param {import('../types.js').Signers} signers
 * @returns {Promise<void>}
 */
export async function tokenmanBrunoBeforeRequest(bru, req, config, signers) {
  const runtime = tokenmanBrunoRuntime(bru, req, config.timeout);
  /** @type {import('../types.js').FlowEnd} */
  const end = await new Promise((resolve) => {
    tokenmanBeforeRequest(runtime, config, signers, resolve);
  });
  if (end.skip) return bru.runner.skipRequest();
  if (end.failure === undefined) return;
  const error = new Error(`tokenman: ${config.name}: ${end.failure}`);
  // Bruno prints the message, not a trace through this script.
  error.stack = '';
  throw error;
}
