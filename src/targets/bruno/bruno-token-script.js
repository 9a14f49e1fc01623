// tokenman token script for Bruno. Runs in `bru run` and the Bruno app as the collection's
// before-request and tests script (opencollection.yml), in both of Bruno's sandboxes (safe and
// developer). Below this header the generator puts one JSON value built from the spec's token plan:
//   const tokenman = { "event": "before-request" | "tests", "config": { ... } };
// then, in the before-request script of a spec that signs assertions, the signer bundles it signs
// with (src/targets/signer, as in the Postman script), then the pure helpers of
// src/targets/postman/token-script.js (tokenmanResolve, tokenmanSignAssertion, ...; one home for
// what both clients compute the same way), then the rest of this file. Nothing in a spec can
// change what this script does beyond its data. It never logs a secret, a key, an assertion or a token.
//
// Before a request, it fetches a token into the runtime variable Token unless a fresh one is cached;
// the collection's bearer auth `{{Token}}` sends it on every request whose auth is `inherit`. When it
// cannot, it throws: Bruno then does not send the request and counts it as failed, with the vendor's
// own words in the message (runtime variables are never written to disk, unlike bru.setEnvVar).

// ---- pure Bruno helpers (no bru): test/targets/bruno/bruno-token-script.test.ts calls them directly ----

/** application/x-www-form-urlencoded text of [name, value] pairs. */
function tokenmanBrunoForm(pairs) {
  return pairs.map((pair) => `${encodeURIComponent(pair[0])}=${encodeURIComponent(pair[1])}`).join('&');
}

/** A multipart/form-data body of text fields, built by hand: bru.sendRequest has no FormData. */
function tokenmanBrunoMultipart(pairs, boundary) {
  let body = '';
  for (let i = 0; i < pairs.length; i++) {
    const name = String(pairs[i][0]).replace(/"/g, '%22').replace(/\r|\n/g, ' ');
    body += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${pairs[i][1]}\r\n`;
  }
  return `${body}--${boundary}--\r\n`;
}

/** Header pairs as the object axios takes. */
function tokenmanBrunoHeaders(pairs) {
  const headers = {};
  for (let i = 0; i < pairs.length; i++) headers[pairs[i][0]] = pairs[i][1];
  return headers;
}

/**
 * The bru.sendRequest options (axios) of a token request from the variant's plan, with its
 * parameters and headers already resolved. validateStatus: null resolves every status: the safe
 * sandbox drops error.response from a rejection, and with it the vendor's words.
 */
function tokenmanBrunoTokenRequest(plan, url, params, headers, authorization, timeout) {
  const headerObject = tokenmanBrunoHeaders(headers);
  if (authorization) headerObject.Authorization = authorization;
  const request = {
    method: plan.method,
    url: url,
    headers: headerObject,
    timeout: timeout,
    validateStatus: null,
  };
  if (plan.encoding === 'query') {
    request.url = url + (url.indexOf('?') < 0 ? '?' : '&') + tokenmanBrunoForm(params);
  } else if (plan.encoding === 'form-data') {
    const boundary = `----tokenman${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
    headerObject['Content-Type'] = `multipart/form-data; boundary=${boundary}`;
    request.data = tokenmanBrunoMultipart(params, boundary);
  } else if (plan.encoding === 'json') {
    const json = {};
    for (let j = 0; j < params.length; j++) json[params[j][0]] = params[j][1];
    request.data = JSON.stringify(json);
  } else {
    request.data = tokenmanBrunoForm(params);
  }
  return request;
}

/** A response body as text and as JSON (undefined when it is not JSON): axios parses JSON itself. */
function tokenmanBrunoBody(data) {
  if (typeof data === 'string') {
    try {
      return { text: data, body: JSON.parse(data) };
    } catch (_e) {
      return { text: data, body: undefined };
    }
  }
  if (data === undefined || data === null) return { text: '', body: undefined };
  if (typeof data === 'object') return { text: JSON.stringify(data), body: data };
  return { text: String(data), body: data };
}

/** A response header by its lower-case name, from the plain object axios gives. */
function tokenmanBrunoHeader(headers, name) {
  if (!headers || typeof headers !== 'object') return undefined;
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name) return String(headers[key]);
  }
  return undefined;
}

/**
 * A "Get token" request's parameters with one value put in, as Bruno holds them before it sends
 * the request: the list of {name, value} of a form or multipart body, the object of a JSON body,
 * or for the query encoding the URL. Only the first parameter of that name changes.
 */
function tokenmanBrunoPutParam(encoding, data, name, value) {
  if (encoding === 'query') {
    const at = data.indexOf('?');
    if (at < 0) return data;
    const pairs = data.slice(at + 1).split('&');
    const index = pairs.findIndex((pair) => pair.split('=')[0] === name);
    if (index >= 0) pairs[index] = `${name}=${encodeURIComponent(value)}`;
    return `${data.slice(0, at + 1)}${pairs.join('&')}`;
  }
  if (encoding === 'json') {
    const json = Object.assign({}, typeof data === 'string' ? JSON.parse(data) : data);
    json[name] = value;
    return json;
  }
  const index = data.findIndex((entry) => entry && entry.name === name);
  return data.map((entry, i) => (i === index ? Object.assign({}, entry, { value: value }) : entry));
}

/** An Error without its stack: Bruno prints the message, not a trace through this script. */
function tokenmanBrunoError(message) {
  const error = new Error(message);
  error.stack = '';
  return error;
}

// ---- the part that talks to bru ----

function tokenmanBrunoSession(bru, config) {
  const NAMES = config.names;
  const label = `tokenman: ${config.name}`;

  /** A variable's value: runtime variables first (tokens, pre-step results), then every other scope. */
  function lookup(name) {
    const runtime = bru.getVar(name);
    if (runtime !== undefined && runtime !== null && runtime !== '') return String(runtime);
    const reference = `{{${name}}}`;
    const value = bru.interpolate(reference);
    // Bruno leaves a reference to a variable that is declared nowhere as it is.
    if (value === reference || value === undefined || value === null) return undefined;
    return String(value);
  }
  function setVar(name, value) {
    bru.setVar(name, value === undefined ? '' : String(value));
  }
  /** Drops the token, and the token endpoint read by discovery: it is read again after a failure. */
  function clearToken() {
    setVar(NAMES.token, '');
    setVar(NAMES.expiresAt, '');
    setVar(NAMES.renewAt, '');
    setVar(NAMES.endpoint, '');
    setVar(NAMES.discovery, '');
  }
  /** Blanks out secret values, tokens and credential fields, should a vendor's answer echo one. */
  function redact(message, extra) {
    const values = config.secrets
      .map(lookup)
      .concat([bru.getVar(NAMES.token), bru.getVar(NAMES.refresh)])
      .concat(extra || []);
    return tokenmanRedact(message, values);
  }
  /** Fails the request: no token left behind, and a throw, so Bruno never sends it. */
  function fail(message, remember, extra) {
    const safe = redact(message, extra);
    clearToken();
    if (remember) {
      setVar(NAMES.failedAt, String(Date.now()));
      // Without the label: recentFailure() repeats it through fail() again.
      setVar(NAMES.error, safe);
    }
    throw tokenmanBrunoError(`${label}: ${safe}`);
  }
  function storeToken(body, token, now, plan) {
    const expiry = tokenmanExpiresAt(body, token, plan.response, now, atob);
    setVar(NAMES.token, token);
    setVar(NAMES.expiresAt, String(expiry.at));
    setVar(NAMES.renewAt, String(tokenmanRenewAt(expiry.at, now, plan.response.skew)));
    setVar(NAMES.failedAt, '');
    setVar(NAMES.error, '');
    const refresh = body.refresh_token;
    setVar(NAMES.refresh, plan.refresh && typeof refresh === 'string' ? refresh : '');
    return expiry;
  }
  const variantKey = lookup(NAMES.variant) || config.defaultVariant;
  return {
    lookup: lookup,
    setVar: setVar,
    clearToken: clearToken,
    redact: redact,
    fail: fail,
    storeToken: storeToken,
    variantKey: variantKey,
    plan: config.variants[variantKey],
  };
}

async function tokenmanBrunoBeforeRequest(bru, req, config) {
  const session = tokenmanBrunoSession(bru, config);
  const NAMES = config.names;
  const plan = session.plan;
  const lookup = session.lookup;
  const tokenRequestOf = config.tokenRequests[req.getName()];
  // The signer bundles the generator put above this script's functions, by family (rsa, ec, hmac);
  // none when the spec signs nothing.
  const signers = typeof tokenmanSigners === 'undefined' ? {} : tokenmanSigners;
  // The last assertion this script made; never stored, only blanked out of messages.
  let lastAssertion = '';

  function fail(message, remember) {
    return session.fail(message, remember, [lastAssertion]);
  }

  /** The variant's assertion, signed now (iat and exp from now); { jwt } or { error }. */
  function makeAssertion(resolve) {
    const made = tokenmanSignAssertion(plan.assertion, plan.signer, resolve, signers);
    lastAssertion = made.jwt || '';
    return made;
  }

  function basicAuth(resolve) {
    const auth = plan.clientAuth;
    const client = { clientId: auth.id, clientSecret: auth.secret, basicEncoding: auth.encoding };
    return tokenmanBasicAuth(client, resolve, btoa);
  }

  /** Runs the pre-steps in order; an error message, or undefined. */
  async function runPreSteps() {
    for (const step of plan.preSteps) {
      if (step.unless && lookup(step.unless)) continue;
      const missing = [];
      const url = tokenmanResolve(step.url, lookup, missing);
      const headers = step.headers.map((pair) => [pair[0], tokenmanResolve(pair[1], lookup, missing)]);
      if (missing.length) return `step "${step.name}" needs ${missing.join(', ')}`;
      const request = {
        method: step.method,
        url: url,
        headers: tokenmanBrunoHeaders(headers),
        timeout: config.timeout,
        validateStatus: null,
      };
      let response;
      try {
        response = await bru.sendRequest(request);
      } catch (error) {
        return `step "${step.name}" could not reach ${tokenmanSafeUrl(url)}: ${tokenmanErrorText(error)}`;
      }
      const read = tokenmanBrunoBody(response.data);
      if (response.status < 200 || response.status >= 300) {
        const why = tokenmanDescribeFailure(response.status, response.statusText, read.text, read.body);
        return `step "${step.name}" failed: ${why}`;
      }
      for (let i = 0; i < step.set.length; i++) {
        const value = read.body === undefined ? undefined : tokenmanLookup(read.body, step.set[i][1]);
        if (value === undefined || value === null || typeof value === 'object') {
          return `step "${step.name}": the response has no ${step.set[i][1]}`;
        }
        session.setVar(step.set[i][0], String(value));
      }
    }
    return undefined;
  }

  /**
   * Reads the token endpoint from the variant's discovery document into the runtime variable
   * TokenEndpoint, unless it was read from this same document before (TokenDiscovery); an error
   * message, or undefined. Redirects are not followed (maxRedirects 0): one is named instead.
   */
  async function discover() {
    if (!plan.discovery) return undefined;
    const missing = [];
    const url = tokenmanResolve(plan.discovery.url, lookup, missing);
    if (missing.length) {
      return `set ${missing.join(', ')} in the environment (${bru.getEnvName() || 'no environment'}) or pass --env-var`;
    }
    if (bru.getVar(NAMES.endpoint) && bru.getVar(NAMES.discovery) === url) return undefined;
    const request = {
      method: 'GET',
      url: url,
      headers: { Accept: 'application/json' },
      timeout: config.timeout,
      maxRedirects: 0,
      validateStatus: null,
    };
    let response;
    try {
      response = await bru.sendRequest(request);
    } catch (error) {
      return `could not reach the discovery document at ${tokenmanSafeUrl(url)}: ${tokenmanErrorText(error)}`;
    }
    const read = tokenmanBrunoBody(response.data);
    const answer = {
      code: response.status,
      status: response.statusText,
      location: tokenmanBrunoHeader(response.headers, 'location'),
      contentType: tokenmanBrunoHeader(response.headers, 'content-type'),
      text: read.text,
      body: read.body,
    };
    const found = tokenmanReadDiscovery(url, answer, plan.discovery.fields);
    if (found.error) return found.error;
    session.setVar(NAMES.endpoint, found.endpoint);
    session.setVar(NAMES.discovery, url);
    return undefined;
  }

  /** Sends one grant from its planned parameters; an error message, or undefined once stored. */
  async function requestToken(planned) {
    const discoveryError = await discover();
    if (discoveryError) return discoveryError;
    const missing = [];
    const resolveStrict = (template) => tokenmanResolve(template, lookup, missing);
    const params = [];
    for (const pair of planned) {
      const value = resolveStrict(pair[1]);
      // An optional scope that resolves to nothing is left out, as the Postman script does.
      if (pair[0] !== 'scope' || value) params.push([pair[0], value]);
    }
    const headers = plan.headers.map((pair) => [pair[0], resolveStrict(pair[1])]);
    const authorization = plan.clientAuth.kind === 'basic' ? basicAuth(resolveStrict) : '';
    const url = resolveStrict(plan.url);
    // A refresh of a JWT-bearer token carries no assertion; a client assertion goes with every grant.
    const assertion = plan.assertion;
    const slot = assertion ? params.findIndex((pair) => pair[0] === assertion.param) : -1;
    // Every value is checked before anything is signed or sent: an empty key is named, not signed.
    if (slot >= 0 && assertion.source === 'sign') tokenmanAssertionOptions(assertion, resolveStrict);
    const empty = plan.required.filter((name) => !lookup(name));
    const unset = missing.concat(empty).filter((name, i, all) => all.indexOf(name) === i);
    if (unset.length) {
      return `set ${unset.join(', ')} in the environment (${bru.getEnvName() || 'no environment'}) or pass --env-var`;
    }
    if (slot >= 0) {
      const made = makeAssertion(resolveStrict);
      if (made.error) return made.error;
      params[slot] = [assertion.param, made.jwt];
    }
    const request = tokenmanBrunoTokenRequest(plan, url, params, headers, authorization, config.timeout);
    const startedAt = Date.now();
    let response;
    try {
      response = await bru.sendRequest(request);
    } catch (error) {
      return `could not reach the token endpoint ${tokenmanSafeUrl(request.url)}: ${tokenmanErrorText(error)}`;
    }
    const read = tokenmanBrunoBody(response.data);
    const location = tokenmanBrunoHeader(response.headers, 'location');
    if (response.status >= 300 && response.status < 400 && location) {
      return tokenmanRedirectNote(response.status, location);
    }
    if (response.status < 200 || response.status >= 300) {
      const why = tokenmanDescribeFailure(response.status, response.statusText, read.text, read.body);
      const hint =
        tokenmanCertificateRefusal(plan.clientAuth.kind, response.status) +
        tokenmanAssertionHint(why, slot >= 0 ? assertion : null);
      return `the token endpoint refused: ${why}${hint}`;
    }
    if (read.body === undefined || read.body === null || typeof read.body !== 'object') {
      const contentType = tokenmanBrunoHeader(response.headers, 'content-type');
      return tokenmanNotJsonNote(response.status, contentType, read.text);
    }
    const value = tokenmanLookup(read.body, plan.response.tokenPath);
    if (typeof value !== 'string' || value === '') {
      return `the token endpoint answered without a token in "${plan.response.tokenPath}" (fields: ${tokenmanFieldNames(read.body)})`;
    }
    session.storeToken(read.body, value, startedAt, plan);
    return undefined;
  }

  async function obtainToken() {
    const refreshToken = plan.refresh ? lookup(NAMES.refresh) : undefined;
    if (refreshToken) {
      const refreshError = await requestToken(plan.refreshParams);
      if (!refreshError) return undefined;
      // A refused refresh token falls back to the original grant once; never to the stale token.
      session.setVar(NAMES.refresh, '');
    }
    const stepError = await runPreSteps();
    if (stepError) return stepError;
    return requestToken(plan.params);
  }

  /** Whether a recent failure is still within its retryAfter window, and what it said. */
  function recentFailure() {
    const failedAt = Number(bru.getVar(NAMES.failedAt));
    const windowMs = plan.retryAfter * 1000;
    if (!(windowMs > 0) || !(failedAt > 0) || Date.now() - failedAt >= windowMs) return undefined;
    const seconds = Math.ceil((failedAt + windowMs - Date.now()) / 1000);
    return `${bru.getVar(NAMES.error)} (not retried for another ${seconds} s)`;
  }

  function tokenIsFresh() {
    const token = bru.getVar(NAMES.token);
    const renewAt = Number(bru.getVar(NAMES.renewAt));
    return typeof token === 'string' && token !== '' && renewAt > 0 && Date.now() < renewAt;
  }

  if (!plan) {
    const keys = Object.keys(config.variants).join(', ');
    return fail(`${NAMES.variant} is "${session.variantKey}"; use one of: ${keys}`, false);
  }
  if (tokenRequestOf !== undefined) {
    // A "Get token" request of another variant has nothing to do in this environment.
    if (tokenRequestOf !== session.variantKey) return bru.runner.skipRequest();
    const stepError = (await runPreSteps()) || (await discover());
    if (stepError) return fail(stepError, false);
    if (plan.assertion && plan.assertion.source === 'sign') {
      // The request file shows where the assertion goes; it is signed now, as the request goes out.
      const made = makeAssertion((template) => tokenmanResolve(template, lookup));
      if (made.error) return fail(made.error, false);
      const name = plan.assertion.param;
      if (plan.encoding === 'query') req.setUrl(tokenmanBrunoPutParam('query', req.getUrl(), name, made.jwt));
      else req.setBody(tokenmanBrunoPutParam(plan.encoding, req.getBody(), name, made.jwt));
    }
    if (plan.clientAuth.kind === 'basic') {
      req.setHeader(
        'Authorization',
        basicAuth((template) => tokenmanResolve(template, lookup)),
      );
    }
    return undefined;
  }
  if (tokenIsFresh()) return undefined;
  const previous = recentFailure();
  if (previous) return fail(previous, false);
  const error = await obtainToken();
  if (error) fail(error, true);
  return undefined;
}

function tokenmanBrunoTests(bru, req, res, test, config) {
  const session = tokenmanBrunoSession(bru, config);
  const name = req.getName();
  const tokenRequestOf = config.tokenRequests[name];
  const status = res.getStatus();
  if (tokenRequestOf !== undefined) {
    const plan = config.variants[tokenRequestOf];
    if (tokenRequestOf !== session.variantKey || !plan) return;
    const read = tokenmanBrunoBody(res.getBody());
    const ok = status >= 200 && status < 300;
    const path = plan.response.tokenPath;
    const body = read.body;
    const value = body && typeof body === 'object' ? tokenmanLookup(body, path) : undefined;
    // Every message of these tests goes to bru's output and reports as written.
    const refuse = function (message) {
      const answer = body && typeof body === 'object' ? [value, body.refresh_token, body.id_token] : [value];
      throw new Error(session.redact(message, answer));
    };
    test('token endpoint answers 2xx', function () {
      const location = res.getHeader('location');
      if (status >= 300 && status < 400 && location) refuse(tokenmanRedirectNote(status, location));
      if (!ok) {
        const why = tokenmanDescribeFailure(status, res.statusText, read.text, body);
        refuse(why + tokenmanCertificateRefusal(plan.clientAuth.kind, status));
      }
    });
    test(`response has a token in ${path}`, function () {
      if (ok && (body === undefined || body === null || typeof body !== 'object')) {
        refuse(tokenmanNotJsonNote(status, res.getHeader('content-type'), read.text));
      }
      if (typeof value !== 'string' || value === '') refuse(`no token in ${path}`);
    });
    // Named so that no "Bearer <word>" follows in bru's output, which tokenman's redaction would blank.
    test('token_type says bearer (any case)', function () {
      const type = body && typeof body === 'object' ? body.token_type : undefined;
      if (type === undefined) refuse('no token_type in the answer');
      if (!/^bearer$/i.test(String(type))) refuse(`token_type is ${JSON.stringify(type)}`);
    });
    if (ok && typeof value === 'string' && value !== '') {
      const now = Date.now();
      const expiry = session.storeToken(body, value, now, plan);
      test(`token expires in the future (from ${expiry.source})`, () => {
        if (!(expiry.at > now)) throw new Error(`expiry ${expiry.at} is not after ${now}`);
      });
    } else {
      session.clearToken();
    }
    return;
  }
  if (!Object.hasOwn(config.expectedStatus, name)) return;
  const expected = config.expectedStatus[name];
  test(`answers ${expected === null ? '2xx' : `HTTP ${expected}`} with the token`, () => {
    const good = expected === null ? status >= 200 && status < 300 : status === expected;
    if (!good) throw new Error(`HTTP ${status} ${res.statusText || ''}`.trim());
  });
}

if (typeof bru !== 'undefined' && typeof tokenman !== 'undefined') {
  if (tokenman.event === 'tests') tokenmanBrunoTests(bru, req, res, test, tokenman.config);
  else await tokenmanBrunoBeforeRequest(bru, req, tokenman.config);
}
