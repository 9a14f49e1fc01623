// @ts-check
// The test script of the "Get token" requests in Postman.
import { tokenmanCheckTokenAnswer } from '../check-token-answer.js';
import { tokenmanPostmanAnswer, tokenmanPostmanContext } from './postman-context.js';

/**
 * @param {any} pm
 * @param {import('../types.js').TokenAnswerConfig} config
 */
export function tokenmanPostmanTokenAnswerTest(pm, config) {
  tokenmanCheckTokenAnswer(
    tokenmanPostmanContext(pm, config.names),
    config,
    tokenmanPostmanAnswer(pm.response),
  );
}
