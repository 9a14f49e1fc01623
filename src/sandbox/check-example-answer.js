// @ts-check
// The check of an example request, kept apart so its script carries nothing else.

/**
 * The check of an example request: it answers as the spec says it does with a good token.
 * @param {(name: string, check: () => void) => void} test
 * @param {import('./types.js').ExampleConfig} config
 * @param {{ code: number, status: string }} answer
 */
export function tokenmanCheckExampleAnswer(test, config, answer) {
  const expected = config.expectedStatus;
  const code = answer.code;
  test(`answers ${expected === null ? '2xx' : `HTTP ${expected}`} with the token`, () => {
    const good = expected === null ? code >= 200 && code < 300 : code === expected;
    if (!good) throw new Error(`HTTP ${code} ${answer.status || ''}`.trim());
  });
}
