// @ts-check
// The tests script of an example request in Bruno: nothing but its status.
import { tokenmanCheckExampleAnswer } from '../check-example-answer.js';

/**
 * @param {any} res
 * @param {(name: string, check: () => void) => void} test
 * @param {import('../types.js').ExampleConfig} config
 */
export function tokenmanBrunoExampleAnswerTests(res, test, config) {
  tokenmanCheckExampleAnswer(test, config, { code: res.getStatus(), status: res.statusText || '' });
}
