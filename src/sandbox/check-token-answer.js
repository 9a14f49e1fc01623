// @ts-check
// The checks of a "Get token" request sent by hand: its answer is a good token answer, and its
// token is kept as the flow would keep it.
import {
  tokenmanCertificateRefusal,
  tokenmanDescribeFailure,
  tokenmanNotJsonNote,
  tokenmanRedirectNote,
} from './answer-words.js';
import { tokenmanLookup } from './response-path.js';
import { tokenmanClearToken, tokenmanRedactMessage, tokenmanStoreToken } from './token-state.js';
import { tokenmanActiveVariant, tokenmanTokenRequestOf } from './variant-of.js';

/**
 * The checks of a "Get token" request's answer. Another variant's request (skipped, or sent by hand
 * in another environment) is not checked.
 * @param {import('./types.js').SandboxContext} runtime
 * @param {import('./types.js').TokenAnswerConfig} config
 * @param {import('./types.js').SandboxAnswer} answer
 */
export function tokenmanCheckTokenAnswer(runtime, config, answer) {
  const key = tokenmanTokenRequestOf(config.tokenRequests, runtime.requestName);
  if (key === undefined || key !== tokenmanActiveVariant(runtime, config).key) return;
  const settings = config.variants[key];
  if (!settings) return;
  const code = answer.code;
  const body = answer.body;
  const ok = code >= 200 && code < 300;
  const path = settings.response.tokenPath;
  const object = body !== null && typeof body === 'object' ? /** @type {any} */ (body) : undefined;
  const value = object ? tokenmanLookup(object, path) : undefined;
  /** @param {string} message */
  const refuse = (message) => {
    const extra = object ? [value, object.refresh_token, object.id_token] : [value];
    throw new Error(tokenmanRedactMessage(runtime, config, message, extra));
  };
  runtime.test('token endpoint answers 2xx', () => {
    // The request itself failed (refused, timed out): the client reports why; there is no status.
    if (typeof code !== 'number' || !(code > 0))
      refuse('no answer from the token endpoint; see the request error');
    const location = answer.header('location');
    if (code >= 300 && code < 400 && location) refuse(tokenmanRedirectNote(code, location));
    if (!ok)
      refuse(
        tokenmanDescribeFailure(code, answer.status, answer.text, body) +
          tokenmanCertificateRefusal(settings.clientAuth, code),
      );
  });
  runtime.test(`response has a token in ${path}`, () => {
    if (ok && !object) refuse(tokenmanNotJsonNote(code, answer.header('content-type'), answer.text));
    if (typeof value !== 'string' || value === '') refuse(`no token in ${path}`);
  });
  // Named so that no "Bearer <word>" follows in a runner's output, which tokenman's redaction blanks.
  runtime.test('token_type says bearer (any case)', () => {
    const type = object ? object.token_type : undefined;
    if (type === undefined) refuse('no token_type in the answer');
    if (!/^bearer$/i.test(String(type))) refuse(`token_type is ${JSON.stringify(type)}`);
  });
  if (ok && typeof value === 'string' && value !== '') {
    const now = Date.now();
    const expiry = tokenmanStoreToken(runtime, config.names, object, value, now, settings);
    runtime.test(`token expires in the future (from ${expiry.source})`, () => {
      if (!(expiry.at > now)) throw new Error(`expiry ${expiry.at} is not after ${now}`);
    });
  } else {
    tokenmanClearToken(runtime.state, config.names);
  }
}
