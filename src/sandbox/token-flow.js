// @ts-check
// The token flow, the same in every client: before a request goes out it uses the kept token while
// it is fresh, otherwise runs the variant's pre-steps, reads the token endpoint by discovery, signs
// the assertion, sends the token request (a refresh first where there is one), checks the answer
// and keeps the token; a "Get token" request sent by hand is made to carry exactly what this flow
// would send. It talks to the client only through the runtime its adapter gives it.

import {
  tokenmanCertificateRefusal,
  tokenmanDescribeFailure,
  tokenmanFieldNames,
  tokenmanNotJsonNote,
  tokenmanRedirectNote,
  tokenmanSafeUrl,
} from './answer-words.js';
import { tokenmanAssertionOptions, tokenmanSignAssertion } from './assertion.js';
import { tokenmanAssertionHint } from './assertion-hint.js';
import { tokenmanReadDiscovery } from './discovery.js';
import { tokenmanErrorText } from './network-words.js';
import { tokenmanLookup } from './response-path.js';
import { tokenmanResolve } from './template.js';
import { tokenmanBasicAuth, tokenmanTokenRequest } from './token-request.js';
import { tokenmanClearToken, tokenmanRedactMessage, tokenmanStoreToken } from './token-state.js';
import { tokenmanActiveVariant, tokenmanTokenRequestOf } from './variant-of.js';

/** @typedef {import('./types.js').SandboxRuntime} SandboxRuntime */
/** @typedef {import('./types.js').ScriptConfig} ScriptConfig */
/** @typedef {import('./types.js').VariantScript} VariantScript */
/** @typedef {import('./types.js').FlowEnd} FlowEnd */
/** @typedef {(error?: string) => void} Step */

/**
 * Whether the stored token can still be sent: present, and its renewal time not yet reached.
 * @param {import('./types.js').SandboxContext['state']} state
 * @param {import('./types.js').StateNames} names
 * @returns {boolean}
 */
function tokenmanIsFresh(state, names) {
  const token = state.get(names.token);
  if (typeof token !== 'string' || token === '') return false;
  const renewAt = Number(state.get(names.renewAt));
  return Number.isFinite(renewAt) && Date.now() < renewAt;
}

/**
 * A recent failure still within its retryAfter window, in words; undefined when there is none.
 * @param {import('./types.js').SandboxContext['state']} state
 * @param {import('./types.js').StateNames} names
 * @param {number} retryAfter seconds
 * @returns {string | undefined}
 */
function tokenmanRecentFailure(state, names, retryAfter) {
  const failedAt = Number(state.get(names.failedAt));
  const windowMs = retryAfter * 1000;
  if (!(windowMs > 0) || !(failedAt > 0) || Date.now() - failedAt >= windowMs) return undefined;
  const seconds = Math.ceil((failedAt + windowMs - Date.now()) / 1000);
  return `${state.get(names.error)} (not retried for another ${seconds} s)`;
}

/**
 * Before a request: makes sure a fresh token is kept, or ends with the reason it cannot be had.
 * `done` is called once: {} to send the request, { skip } to skip it (another variant's "Get
 * token"), { failure } when it must not go out. A failure is already redacted and the token dropped.
 * @param {SandboxRuntime} runtime
 * @param {ScriptConfig} config
 * @param {import('./types.js').Signers} signers
 * @param {(end: FlowEnd) => void} done
 */
export function tokenmanBeforeRequest(runtime, config, signers, done) {
  const NAMES = config.names;
  const tokenRequestOf = tokenmanTokenRequestOf(config.tokenRequests, runtime.requestName);
  const active = tokenmanActiveVariant(runtime, config);
  const variant = active.variant;
  // The common case, decided before any other work: a request with a token still fresh. Every
  // request a user adds pays for this much and no more.
  if (variant && tokenRequestOf === undefined && tokenmanIsFresh(runtime.state, NAMES)) return done({});

  const state = runtime.state;
  /** @param {string} name */
  const lookup = (name) => runtime.get(name);
  // The last assertion this flow made; never stored, only blanked out of messages.
  let lastAssertion = '';

  /**
   * Ends the flow with a failure: no token left behind; `remember` starts the retryAfter window.
   * @param {string} message
   * @param {boolean} remember
   */
  function fail(message, remember) {
    const safe = tokenmanRedactMessage(runtime, config, message, [lastAssertion]);
    tokenmanClearToken(state, NAMES);
    if (remember) {
      state.set(NAMES.failedAt, String(Date.now()));
      state.set(NAMES.error, safe);
    }
    done({ failure: safe });
  }

  /** @param {string[]} names */
  function unsetWords(names) {
    return `set ${names.join(', ')} ${runtime.setHint}`;
  }

  /**
   * Runs the pre-steps in order, then next(errorMessage?).
   * @param {VariantScript} plan
   * @param {Step} next
   */
  function runPreSteps(plan, next) {
    const steps = plan.preSteps;
    /** @param {number} index */
    function run(index) {
      const step = steps[index];
      if (!step) return next();
      if (step.unless && lookup(step.unless)) return run(index + 1);
      /** @type {string[]} */
      const missing = [];
      const url = tokenmanResolve(step.url, lookup, missing);
      /** @type {Array<[string, string]>} */
      const headers = step.headers.map((pair) => [pair[0], tokenmanResolve(pair[1], lookup, missing)]);
      if (missing.length) return next(`step "${step.name}" needs ${missing.join(', ')}`);
      runtime.send({ method: step.method, url: url, headers: headers, body: null }, (error, answer) => {
        if (error || !answer)
          return next(
            `step "${step.name}" could not reach ${tokenmanSafeUrl(url)}: ${tokenmanErrorText(error)}`,
          );
        if (answer.code < 200 || answer.code >= 300) {
          const why = tokenmanDescribeFailure(answer.code, answer.status, answer.text, answer.body);
          return next(`step "${step.name}" failed: ${why}`);
        }
        for (let i = 0; i < step.set.length; i++) {
          const set = step.set[i];
          if (!set) continue;
          const value = answer.body === undefined ? undefined : tokenmanLookup(answer.body, set[1]);
          if (value === undefined || value === null || typeof value === 'object') {
            return next(`step "${step.name}": the response has no ${set[1]}`);
          }
          state.set(set[0], String(value));
        }
        run(index + 1);
      });
    }
    run(0);
  }

  /**
   * Reads the token endpoint from the variant's discovery document into TokenEndpoint, unless it was
   * read from this same document before (TokenDiscovery); then next(errorMessage?). Nothing to do for
   * a variant whose spec gives the token URL.
   * @param {VariantScript} plan
   * @param {Step} next
   */
  function discover(plan, next) {
    const discovery = plan.discovery;
    if (!discovery) return next();
    /** @type {string[]} */
    const missing = [];
    const url = tokenmanResolve(discovery.url, lookup, missing);
    if (missing.length) return next(unsetWords(missing));
    if (state.get(NAMES.endpoint) && state.get(NAMES.discovery) === url) return next();
    const request = {
      method: 'GET',
      url: url,
      headers: [/** @type {[string, string]} */ (['Accept', 'application/json'])],
      body: null,
    };
    runtime.send(request, (error, answer) => {
      if (error || !answer) {
        return next(
          `could not reach the discovery document at ${tokenmanSafeUrl(url)}: ${tokenmanErrorText(error)}`,
        );
      }
      const read = tokenmanReadDiscovery(url, answer, discovery.fields);
      if (read.error !== undefined) return next(read.error);
      state.set(NAMES.endpoint, read.endpoint);
      state.set(NAMES.discovery, url);
      next();
    });
  }

  /**
   * A token request from planned parameters, every value resolved: the assertion's slot signed now,
   * an optional scope that resolves to nothing left out. { request } or { error }; with `strict`,
   * a variable without a value is an error before anything is signed or sent.
   * @param {VariantScript} plan
   * @param {Array<[string, string]>} planned
   * @param {boolean} strict
   * @returns {{ request: import('./types.js').SandboxRequest, signed: boolean, error?: undefined } | { error: string }}
   */
  function tokenRequest(plan, planned, strict) {
    /** @type {string[]} */
    const missing = [];
    /** @param {string} template */
    const resolveStrict = (template) => tokenmanResolve(template, lookup, strict ? missing : undefined);
    /** @type {Array<[string, string]>} */
    const params = [];
    for (let i = 0; i < planned.length; i++) {
      const pair = planned[i];
      if (!pair) continue;
      const value = resolveStrict(pair[1]);
      if (pair[0] !== 'scope' || value) params.push([pair[0], value]);
    }
    /** @type {Array<[string, string]>} */
    const headers = plan.headers.map((pair) => [pair[0], resolveStrict(pair[1])]);
    const url = resolveStrict(plan.url);
    const auth = plan.clientAuth;
    const authorization = auth.kind === 'basic' ? tokenmanBasicAuth(auth, resolveStrict, runtime.base64) : '';
    // A refresh of a JWT-bearer token carries no assertion; a client assertion goes with every grant.
    const assertion = plan.assertion;
    const slot = assertion ? params.findIndex((pair) => pair[0] === assertion.param) : -1;
    if (strict) {
      // Every value is checked before anything is signed or sent: an empty key is named, not signed.
      if (assertion && slot >= 0 && assertion.source === 'sign')
        tokenmanAssertionOptions(assertion, resolveStrict);
      const empty = plan.required.filter((name) => !lookup(name));
      const unset = missing.concat(empty).filter((name, i, all) => all.indexOf(name) === i);
      if (unset.length) return { error: unsetWords(unset) };
    }
    if (assertion && slot >= 0) {
      const made = tokenmanSignAssertion(assertion, plan.signer, resolveStrict, signers);
      if (made.error !== undefined) return { error: made.error };
      lastAssertion = made.jwt;
      params[slot] = [assertion.param, made.jwt];
    }
    return { request: tokenmanTokenRequest(plan, url, params, headers, authorization), signed: slot >= 0 };
  }

  /**
   * Sends one grant once the token endpoint is known; next(errorMessage?) after keeping the token.
   * @param {VariantScript} plan
   * @param {Array<[string, string]>} planned
   * @param {Step} next
   */
  function requestToken(plan, planned, next) {
    discover(plan, (discoveryError) => {
      if (discoveryError) return next(discoveryError);
      const made = tokenRequest(plan, planned, true);
      if (made.error !== undefined) return next(made.error);
      const request = made.request;
      const startedAt = Date.now();
      runtime.send(request, (error, answer) => {
        if (error || !answer) {
          return next(
            `could not reach the token endpoint ${tokenmanSafeUrl(request.url)}: ${tokenmanErrorText(error)}`,
          );
        }
        const location = answer.header('location');
        if (answer.code >= 300 && answer.code < 400 && location)
          return next(tokenmanRedirectNote(answer.code, location));
        if (answer.code < 200 || answer.code >= 300) {
          const why = tokenmanDescribeFailure(answer.code, answer.status, answer.text, answer.body);
          const hint =
            tokenmanCertificateRefusal(plan.clientAuth.kind, answer.code) +
            tokenmanAssertionHint(why, made.signed ? plan.assertion : null);
          return next(`the token endpoint refused: ${why}${hint}`);
        }
        const body = answer.body;
        if (body === undefined || body === null || typeof body !== 'object') {
          return next(tokenmanNotJsonNote(answer.code, answer.header('content-type'), answer.text));
        }
        const value = tokenmanLookup(body, plan.response.tokenPath);
        if (typeof value !== 'string' || value === '') {
          return next(
            `the token endpoint answered without a token in "${plan.response.tokenPath}" (fields: ${tokenmanFieldNames(body)})`,
          );
        }
        tokenmanStoreToken(runtime, NAMES, body, value, startedAt, plan);
        next();
      });
    });
  }

  /**
   * A refresh first where a refresh token is kept; a refused one falls back to the original grant
   * once, never to the stale token.
   * @param {VariantScript} plan
   * @param {Step} next
   */
  function obtainToken(plan, next) {
    const original = () => {
      runPreSteps(plan, (stepError) => {
        if (stepError) return next(stepError);
        requestToken(plan, plan.params, next);
      });
    };
    const refreshToken = plan.refresh ? lookup(NAMES.refresh) : undefined;
    if (!refreshToken) return original();
    requestToken(plan, plan.refreshParams, (refreshError) => {
      if (!refreshError) return next();
      state.unset(NAMES.refresh);
      original();
    });
  }

  if (!variant) {
    return fail(
      `${NAMES.variant} is "${active.key}"; use one of: ${Object.keys(config.variants).join(', ')}`,
      false,
    );
  }
  if (tokenRequestOf !== undefined) {
    // A "Get token" request of another variant has nothing to do in this environment.
    if (tokenRequestOf !== active.key) return done({ skip: true });
    return runPreSteps(variant, (stepError) => {
      if (stepError) return fail(stepError, false);
      discover(variant, (discoveryError) => {
        if (discoveryError) return fail(discoveryError, false);
        // The saved request shows {{Templates}} for a person to read, which a client pastes in
        // unescaped: a quote or backslash breaks its JSON, a & # + = or % splits a query value. It
        // goes out with the values this flow would send, resolved to the end.
        const made = tokenRequest(variant, variant.params, false);
        if (made.error !== undefined) return fail(made.error, false);
        runtime.sendAs(made.request);
        done({});
      });
    });
  }
  const previous = tokenmanRecentFailure(state, NAMES, variant.retryAfter);
  if (previous) return fail(previous, false);
  obtainToken(variant, (error) => {
    if (error) return fail(error, true);
    done({});
  });
}
