/** Starts every message of the signer's own errors. */
const SIGNER_ERROR_PREFIX = 'tokenman signer: ';

/**
 * The one kind of error the signer throws: a sentence for the user, prefixed so it is recognisable
 * in a Newman report. Library errors are never passed through, because tokenman cannot promise
 * that their text holds no key material; callers name the input and the problem instead.
 * @param {string} sentence
 */
export function signerError(sentence) {
  return new Error(`${SIGNER_ERROR_PREFIX}${sentence}`);
}

/** Whether `error` is one of the signer's own, safe to pass on as it is. @param {unknown} error */
export function isSignerError(error) {
  return error instanceof Error && error.message.startsWith(SIGNER_ERROR_PREFIX);
}
