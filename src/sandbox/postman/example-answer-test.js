// @ts-check
// The test script of an example request in Postman: nothing but its status.
import { tokenmanCheckExampleAnswer } from '../check-example-answer.js';

/**
 * @param {any} pm
 * @param {import('../types.js').ExampleConfig} config
 */
export function tokenmanPostmanExampleAnswerTest(pm, config) {
  tokenmanCheckExampleAnswer(
    (name, check) => {
      pm.test(name, check);
    },
    config,
    { code: pm.response.code, status: pm.response.status },
  );
}
