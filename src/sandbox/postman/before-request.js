// @ts-check
// The collection's pre-request script in Postman: every request gets a fresh token before it goes
// out. A failure is a failed test (a throw inside a pm.sendRequest callback is lost; a failed test
// is what every Postman runner reports), and the request is skipped, so it never goes out with an
// empty or stale token.
import { tokenmanBeforeRequest } from '../token-flow.js';
import { tokenmanPostmanRuntime } from './postman-runtime.js';

/**
 * @param {any} pm
 * @param {import('../types.js').ScriptConfig} config
 * @param {import('../types.js').Signers} signers
 */
export function tokenmanPostmanBeforeRequest(pm, config, signers) {
  tokenmanBeforeRequest(tokenmanPostmanRuntime(pm, config.names), config, signers, (end) => {
    if (end.skip) return pm.execution.skipRequest();
    const failure = end.failure;
    if (failure === undefined) return;
    pm.test(`tokenman: ${config.name} token`, () => {
      throw new Error(failure);
    });
    pm.execution.skipRequest();
  });
}
