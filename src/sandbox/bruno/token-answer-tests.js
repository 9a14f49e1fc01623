// @ts-check
// The tests script of the "Get token" requests in Bruno.
import { tokenmanCheckTokenAnswer } from '../check-token-answer.js';
import { tokenmanBrunoAnswer, tokenmanBrunoContext } from './bruno-context.js';

/**
 * @param {any} bru
 * @param {any} req
 * @param {any} res
 * @param {(name: string, check: () => void) => void} test
 * @param {import('../types.js').TokenAnswerConfig} config
 */
export function tokenmanBrunoTokenAnswerTests(bru, req, res, test, config) {
  const answer = tokenmanBrunoAnswer(res.getStatus(), res.statusText, res.getBody(), (name) =>
    res.getHeader(name),
  );
  tokenmanCheckTokenAnswer(tokenmanBrunoContext(bru, req, test), config, answer);
}
