'use sandbox2';
// The line above must stay the first 15 characters of the script (the sandbox takes either quote):
// Postman's sandbox then skips its legacy setup, which puts dozens of old globals (responseBody,
// request, environment, CryptoJS, cheerio...) in place before every run of every script, most of
// what running a short script costs. This script reads only pm and require('btoa'/'atob'), which
// stay. test/e2e/token-script-cost.test.ts proves the setup is skipped.
//
// tokenman token script. Runs in the Postman sandbox (Postman app and Newman) as the collection's
// pre-request script, and as the test script of the requests tokenman generates (each "Get token"
// request and the spec's example requests). A request you add runs the pre-request part alone, and
// with a token still fresh that part returns after reading the token and when to renew it.
//
// The generator writes the spec's data right below this header, as a single JSON value
//   var tokenman = { ... };
// then the functions of this file the script calls, then the call of its entry point. Nothing in
// a spec can change what this script does beyond its data. It never logs a secret or a token. It
// uses nothing beyond what the sandbox itself provides, because it runs inside whatever sandbox
// the user's Postman or Newman ships.

// ---- pure helpers (no pm): test/targets/postman/token-script-helpers.test.ts calls them directly ----

/**
 * Replaces {{Name}} as Postman does in a request, so the script sends what the visible request
 * sends: a value that itself holds {{Other}} (AuthUrl = https://{{Subdomain}}.example.com) is
 * resolved in turn, the whole text again after each round, for at most 19 rounds as Postman's
 * own substitution (a cycle is cut there); a name without a value inside a value stays as written,
 * {{Unknown}} literally. A name of the template itself without a value is reported in `missing`
 * and sends nothing: the template is the spec's, and the name one the environment should fill.
 */
function tokenmanResolve(template, lookup, missing) {
  // Postman's own pattern (postman-collection's Substitutor). The spec stage reads references with
  // src/spec/template.ts's, which this script cannot import: test/targets/postman/
  // token-script-helpers.test.ts runs a table of templates through both, so they stay alike.
  const reference = /\{\{([^{}]*?)\}\}/g;
  let out = String(template).replace(reference, function (_whole, name) {
    const value = lookup(name);
    if (value === undefined || value === null) {
      if (missing) missing.push(name);
      return '';
    }
    return String(value);
  });
  for (let round = 1; round < 19; round++) {
    const next = out.replace(reference, function (whole, name) {
      const value = lookup(name);
      return value === undefined || value === null ? whole : String(value);
    });
    if (next === out) break;
    out = next;
  }
  return out;
}

/** Reads a path such as `access_token`, `data.token`, `items[0].id` or `results[default=true].name`. */
function tokenmanLookup(value, path) {
  const parts = String(path).match(/[^.[\]]+|\[[^\]]*\]/g) || [];
  let current = value;
  for (let i = 0; i < parts.length; i++) {
    if (current === undefined || current === null) return undefined;
    const part = parts[i];
    if (part.charAt(0) !== '[') {
      current = Object.hasOwn(current, part) ? current[part] : undefined;
      continue;
    }
    const inner = part.slice(1, -1);
    const eq = inner.indexOf('=');
    if (eq < 0) {
      current = Array.isArray(current) ? current[Number(inner)] : undefined;
      continue;
    }
    // [key=value] picks the first array element whose key, as text, equals value: API Connect marks
    // its default identity provider with "default": true.
    const key = inner.slice(0, eq);
    const wanted = inner.slice(eq + 1);
    let found;
    if (Array.isArray(current)) {
      for (let j = 0; j < current.length && found === undefined; j++) {
        const element = current[j];
        if (element !== null && typeof element === 'object' && String(element[key]) === wanted)
          found = element;
      }
    }
    current = found;
  }
  return current;
}

/** The JWT's exp claim in seconds, or undefined when the token is not a JWT with a numeric exp. */
function tokenmanJwtExp(token, decodeBase64) {
  const parts = String(token).split('.');
  if (parts.length !== 3) return undefined;
  try {
    let payload = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    while (payload.length % 4) payload += '=';
    const claims = JSON.parse(decodeBase64(payload));
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp : undefined;
  } catch (_e) {
    return undefined;
  }
}

/**
 * The longest a token is kept, in seconds: a year. An answer such as expires_in 1e306 would put the
 * expiry past what a number holds (never fresh: a token call before every request) or thousands of
 * years away (never renewed, even after the vendor revoked it). Access tokens live minutes to days;
 * a year honours every real lifetime and still renews a token that claims to live forever.
 */
function tokenmanMaxLifetimeSeconds() {
  return 365 * 24 * 60 * 60;
}

/**
 * When the token stops being usable, in epoch ms: expires_in when it is a positive number, else the
 * JWT's exp when it lies in the future, else the spec's fallback lifetime; never beyond the cap.
 */
function tokenmanExpiresAt(body, token, settings, now, decodeBase64) {
  const latest = now + tokenmanMaxLifetimeSeconds() * 1000;
  const capped = function (at, source) {
    return at > latest ? { at: latest, source: `${source}, capped at a year` } : { at: at, source: source };
  };
  const expiresIn = tokenmanLookup(body, settings.expiresInPath);
  if (typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0) {
    return capped(now + expiresIn * 1000, settings.expiresInPath);
  }
  const exp = tokenmanJwtExp(token, decodeBase64);
  if (exp !== undefined && exp * 1000 > now) return capped(exp * 1000, 'the JWT exp claim');
  return capped(now + settings.fallbackLifetime * 1000, 'the fallback lifetime');
}

/** A cached token is renewed `skew` seconds early, but never so early that it is never used. */
function tokenmanRenewAt(expiresAt, obtainedAt, skewSeconds) {
  const lifetime = expiresAt - obtainedAt;
  return expiresAt - Math.min(skewSeconds * 1000, lifetime / 2);
}

/**
 * The text with the value of every field named like a credential or a token blanked out:
 * `"access_token": "..."`, `refresh_token=...`, `client_secret=...`. A vendor's error page or an
 * almost-JSON answer may carry live tokens, whose values tokenman does not know in advance.
 */
function tokenmanBlankSecretFields(text) {
  // A whole name (a run of name characters, entered only where one starts) with a credential's word
  // in it: found by a look ahead, so each name is read a few times, not once per possible start and
  // end, which made megabytes of an answer outlast the script's time limit.
  const name =
    '(?=[A-Za-z0-9_.-]*?(?:token|secret|passw|pwd|assertion|api[-_]?key|credential|private|signature))[A-Za-z0-9_.-]+';
  // A quoted name before ":" (JSON) or a bare name before "=" (a form or a query); a bare name before
  // ":" is prose ("Bad credentials: ...") and stays.
  const field = new RegExp(
    `(?:(["'])(${name})\\1(\\s*:\\s*)|(^|[^A-Za-z0-9_.-])(${name})(=))("(?:[^"\\\\]|\\\\.)*(?:"|$)|'[^']*(?:'|$)|[^\\s&,;}"'<>]+)`,
    'gi',
  );
  return String(text).replace(
    field,
    function (whole, quote, quotedName, colon, edge, bareName, equals, value) {
      const key = quotedName || bareName;
      // The token type (Bearer) is what a person needs to read, and no secret.
      if (/^token_type$/i.test(key)) return whole;
      const mark = value.charAt(0) === '"' || value.charAt(0) === "'" ? value.charAt(0) : '';
      const before = quotedName ? `${quote}${key}${quote}${colon}` : `${edge}${key}${equals}`;
      return `${before}${mark}***${mark}`;
    },
  );
}

/**
 * The forms a secret value takes in a message: as is, URL-encoded (a query or form body, space as
 * %20 or +) and escaped inside a JSON string.
 */
function tokenmanSecretForms(value) {
  const forms = [value, JSON.stringify(value).slice(1, -1)];
  try {
    const encoded = encodeURIComponent(value);
    forms.push(encoded, encoded.replace(/%20/g, '+'));
  } catch (_e) {
    // A lone surrogate half has no URL-encoded form, and so cannot appear in one.
  }
  return forms;
}

/**
 * The message with each of the values (in each of its forms), every credential field and every
 * JWT blanked out. Longest first across all values, so a secret that starts another is not
 * replaced inside it. A JWT is blanked whoever made it: a signed assertion or a token a vendor
 * quotes back in prose is a credential for minutes, and the script that signed it may not be the
 * one reporting (a "Get token" request's checks run in its test script).
 */
function tokenmanRedact(message, values) {
  let forms = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === 'string' && value.length >= 4) forms = forms.concat(tokenmanSecretForms(value));
  }
  forms.sort(function (a, b) {
    return b.length - a.length;
  });
  let out = String(message);
  for (let j = 0; j < forms.length; j++) out = out.split(forms[j]).join('***');
  return tokenmanBlankSecretFields(tokenmanBlankJwts(out));
}

/** The text with every JWT (three base64url parts, the first a JSON header) as ***. */
function tokenmanBlankJwts(text) {
  return String(text).replace(/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '***');
}

/** A vendor's words cut to `max` characters: an answer of megabytes makes no message. */
function tokenmanCut(text, max) {
  const words = String(text);
  return words.length > max ? `${words.slice(0, max)}...` : words;
}

/** An answer's field names for a message, the first few (never a value). */
function tokenmanFieldNames(body) {
  const names = Object.keys(body);
  const shown = names.slice(0, 20).map(function (name) {
    return tokenmanCut(name, 40);
  });
  return names.length > 20 ? `${shown.join(', ')} and ${names.length - 20} more` : shown.join(', ');
}

/** One sentence saying why the token endpoint refused, from the vendor's own error fields. */
function tokenmanDescribeFailure(code, statusText, text, body) {
  const words = `HTTP ${code}${statusText ? ` ${statusText}` : ''}`;
  if (body !== null && typeof body === 'object') {
    const parts = [];
    if (typeof body.error === 'string') parts.push(body.error);
    if (typeof body.error_description === 'string') parts.push(body.error_description);
    // API Connect answers {"status":401,"message":["..."]}; others use a plain message string.
    if (Array.isArray(body.message)) parts.push(body.message.join('; '));
    else if (typeof body.message === 'string') parts.push(body.message);
    // JWTs are blanked before the words are cut, so a cut cannot leave half of one; only a bounded
    // start is read, as megabytes of words would outlast the script's time limit.
    if (parts.length)
      return `${words}: ${tokenmanCut(tokenmanBlankJwts(parts.join(': ').slice(0, 16384)), 400)}`;
  }
  // Field values and JWTs are blanked before the text is cut, so a cut cannot split a token from its
  // name or leave half of one; only its start is read, for the same reason as above.
  const snippet = tokenmanBlankSecretFields(tokenmanBlankJwts(String(text || '').slice(0, 4096)))
    .replace(/\s+/g, ' ')
    .trim();
  if (!snippet) return `${words} with an empty body`;
  return `${words}: ${snippet.length > 120 ? `${snippet.slice(0, 120)}...` : snippet}`;
}

/**
 * What to check after a vendor refused a token request that carried an assertion this script
 * signed, judged from the vendor's words (tokenmanDescribeFailure's sentence): its time (iat and
 * exp come from this computer's clock, so a vendor that finds them expired or in the future points
 * at a clock that is wrong here or there) or its key (a signature or kid that does not match what
 * the vendor registered). '' when the words point at neither, or nothing was signed.
 */
function tokenmanAssertionHint(why, assertion) {
  if (assertion?.source !== 'sign') return '';
  const text = String(why);
  const hints = [];
  // Words that name no cause (Salesforce's "invalid assertion") get both hints.
  const vague = /invalid assertion/i.test(text);
  const time =
    /expired|not active|time range|timeframe|short-lived|in the (future|past)|not yet valid|\b(iat|exp|nbf)\b/i;
  if (vague || time.test(text)) {
    hints.push(
      "the assertion's iat and exp come from this computer's clock: check that it is right, since vendors allow only minutes of skew",
    );
  }
  if (vague || /signature|\bkid\b|key was not found|public key/i.test(text)) {
    // The variables a template names, read with the script's one {{Name}} pattern.
    const names = function (template) {
      const found = [];
      tokenmanResolve(template || '', function () {}, found);
      return found.join(', ');
    };
    let hint = `check that ${names(assertion.key) || 'the key'} is the ${assertion.alg === 'HS256' ? 'secret' : 'private key'} the vendor has registered`;
    if (names(assertion.kid)) hint += `, and ${names(assertion.kid)} its key id`;
    if (names(assertion.certificate)) hint += `, and ${names(assertion.certificate)} its certificate`;
    hints.push(hint);
  }
  return hints.length ? ` (${hints.join('; ')})` : '';
}

/**
 * The request parameters of a grant, in the order the vendors document them. `assertion` is the JWT
 * the request carries (see tokenmanAssertionParam), '' for none.
 */
function tokenmanGrantParams(token, grant, resolve, refreshToken, assertion) {
  const params = [['grant_type', grant]];
  if (grant === 'password') {
    params.push(['username', resolve(token.username)]);
    params.push(['password', resolve(token.password)]);
  }
  if (grant === 'refresh_token') params.push(['refresh_token', refreshToken]);
  const param = tokenmanAssertionParam(token, grant);
  if (param === 'assertion') params.push(['assertion', assertion]);
  if (grant === 'urn:ietf:params:oauth:grant-type:token-exchange') {
    params.push(['subject_token', resolve(token.subjectToken)]);
    params.push(['subject_token_type', resolve(token.subjectTokenType)]);
  }
  if (grant === 'api_key') params.push(['api_key', resolve(token.apiKey)]);
  // A JWT-bearer grant names its client inside the assertion (Google, Salesforce): client_id only if given.
  const clientIdOptional = param === 'assertion' && token.clientId === '';
  if (token.clientAuth !== 'basic' && !clientIdOptional) params.push(['client_id', resolve(token.clientId)]);
  if (token.clientAuth === 'body') params.push(['client_secret', resolve(token.clientSecret)]);
  if (param === 'client_assertion') {
    params.push(['client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer']);
    params.push(['client_assertion', assertion]);
  }
  const scope = resolve(token.scope);
  if (scope) params.push(['scope', scope]);
  for (let i = 0; i < token.params.length; i++)
    params.push([token.params[i][0], resolve(token.params[i][1])]);
  return params;
}

/**
 * Which parameter carries a JWT (RFC 7523): `assertion` for the jwt-bearer grant itself,
 * `client_assertion` when the client authenticates with one (client_secret_jwt, private_key_jwt),
 * '' for none. A refresh of a jwt-bearer token sends no grant assertion.
 */
function tokenmanAssertionParam(token, grant) {
  if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') return 'assertion';
  if (token.clientAuth === 'client_secret_jwt' || token.clientAuth === 'private_key_jwt')
    return 'client_assertion';
  return '';
}

/**
 * The tokenmanSignJwt options of a signed assertion, every template resolved: RFC 7523 section 3
 * claims (iss, sub when there is one, aud, a scope claim for Google), iat and exp from now, a
 * random jti; kid and the certificate thumbprint in the header.
 */
function tokenmanAssertionOptions(assertion, resolve) {
  const claims = { iss: resolve(assertion.issuer) };
  const subject = resolve(assertion.subject);
  if (subject) claims.sub = subject;
  claims.aud = resolve(assertion.audience);
  const scope = resolve(assertion.scope);
  if (scope) claims.scope = scope;
  const options = {
    alg: assertion.alg,
    key: resolve(assertion.key),
    claims: claims,
    times: { iat: 0, exp: assertion.lifetime },
    jti: true,
  };
  const kid = resolve(assertion.kid);
  if (kid) options.header = { kid: kid };
  if (assertion.certificate) {
    options.certificate = resolve(assertion.certificate);
    options.thumbprints = [assertion.thumbprint];
  }
  return options;
}

/**
 * The JWT of a signed or given assertion: signed now by the collection's signer bundle (`signers`,
 * by family), or read from the variable the spec names. { jwt }, or { error } with the one sentence
 * both clients fail with, which never quotes key material (the signer's own never does).
 */
function tokenmanSignAssertion(assertion, signer, resolve, signers) {
  if (assertion.source === 'variable') return { jwt: resolve(assertion.value) };
  try {
    const sign = signers[signer];
    if (typeof sign !== 'function') {
      throw new Error(`this collection has no ${assertion.alg} signer; rebuild it with tokenman build`);
    }
    return { jwt: sign(tokenmanAssertionOptions(assertion, resolve)) };
  } catch (error) {
    return { error: `could not sign the assertion: ${tokenmanErrorText(error)}` };
  }
}

/** The JWT a token request with this grant carries ({ jwt: '' } for none), as tokenmanSignAssertion. */
function tokenmanMakeAssertion(variant, grant, resolve, signers) {
  const assertion = variant.token.assertion;
  if (!assertion || !tokenmanAssertionParam(variant.token, grant)) return { jwt: '' };
  return tokenmanSignAssertion(assertion, variant.signer, resolve, signers);
}

/**
 * The UTF-8 bytes of a string, one per character, as btoa wants them: the sandbox's btoa keeps only
 * the low byte of each UTF-16 unit, where Postman's own Basic auth (and curl -u) send UTF-8.
 */
function tokenmanUtf8Bytes(text) {
  return encodeURIComponent(text).replace(/%([0-9A-F]{2})/g, function (_, hex) {
    return String.fromCharCode(Number.parseInt(hex, 16));
  });
}

/** The HTTP Basic client authentication header value. */
function tokenmanBasicAuth(token, resolve, encodeBase64) {
  let id = resolve(token.clientId);
  let secret = resolve(token.clientSecret);
  if (token.basicEncoding === 'rfc6749') {
    // RFC 6749 section 2.3.1: application/x-www-form-urlencoded before base64 (space as +). Curl -u and
    // Postman send both raw, which is the default.
    id = encodeURIComponent(id).replace(/%20/g, '+');
    secret = encodeURIComponent(secret).replace(/%20/g, '+');
  }
  return `Basic ${encodeBase64(tokenmanUtf8Bytes(`${id}:${secret}`))}`;
}

/** The pm.sendRequest definition for a token or refresh request. */
function tokenmanTokenRequest(token, params, resolve, encodeBase64) {
  const headers = [];
  let ownAccept = false;
  for (let i = 0; i < token.headers.length; i++) {
    headers.push({ key: token.headers[i][0], value: resolve(token.headers[i][1]) });
    if (token.headers[i][0].toLowerCase() === 'accept') ownAccept = true;
  }
  // JSON is what the script reads, unless the spec asks for it in its own words.
  if (!ownAccept) headers.unshift({ key: 'Accept', value: 'application/json' });
  if (token.clientAuth === 'basic') {
    headers.push({ key: 'Authorization', value: tokenmanBasicAuth(token, resolve, encodeBase64) });
  }
  const url = resolve(token.url);
  const request = { url: url, method: token.method, header: headers };
  const pairs = params.map(function (pair) {
    return { key: pair[0], value: pair[1] };
  });
  if (token.encoding === 'query') {
    const query = params
      .map(function (pair) {
        return `${encodeURIComponent(pair[0])}=${encodeURIComponent(pair[1])}`;
      })
      .join('&');
    request.url = url + (url.indexOf('?') < 0 ? '?' : '&') + query;
  } else if (token.encoding === 'form-data') {
    request.body = {
      mode: 'formdata',
      formdata: pairs.map(function (pair) {
        return { key: pair.key, value: pair.value, type: 'text' };
      }),
    };
  } else if (token.encoding === 'json') {
    const json = {};
    for (let j = 0; j < params.length; j++) json[params[j][0]] = params[j][1];
    headers.push({ key: 'Content-Type', value: 'application/json' });
    request.body = { mode: 'raw', raw: JSON.stringify(json), options: { raw: { language: 'json' } } };
  } else {
    headers.push({ key: 'Content-Type', value: 'application/x-www-form-urlencoded' });
    request.body = { mode: 'urlencoded', urlencoded: pairs };
  }
  return request;
}

/**
 * A TLS failure in words, or '' for another error: OpenSSL's codes and messages name no cause a user
 * can act on. Matched by Node's error code, or by OpenSSL's text when only the message comes.
 */
function tokenmanTlsWords(code, text) {
  const known = [
    [
      /KEY_VALUES_MISMATCH|key values mismatch/i,
      'the client certificate and its private key do not belong together: take both from the same credentials',
    ],
    [
      /CERTIFICATE_REQUIRED|certificate required/i,
      'the server asks for a client certificate and none was sent: set one for this host and port (Postman: Settings > Certificates; newman: --ssl-client-cert-list; Bruno: client certificates)',
    ],
    [
      /ALERT_CERTIFICATE_EXPIRED|alert certificate expired/i,
      'the server refused the client certificate as expired: use a current one',
    ],
    [
      /ALERT_(BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE)|alert (bad certificate|unknown ca|certificate unknown)/i,
      'the server refused the client certificate: it does not trust the CA that issued it',
    ],
    [
      /PEM_NO_START_LINE|no start line|BAD_BASE64_DECODE|bad base64 decode/i,
      'the client certificate or key file is not PEM (-----BEGIN ...-----)',
    ],
    [
      /SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/i,
      "the server's certificate is not from a CA this client trusts: add that CA (newman: --ssl-extra-ca-certs) rather than turning TLS checks off",
    ],
    [/^CERT_HAS_EXPIRED$|certificate has expired/i, "the server's certificate has expired"],
    [/ERR_TLS_CERT_ALTNAME_INVALID|altnames/i, "the server's certificate is for another host name"],
  ];
  for (let i = 0; i < known.length; i++) {
    if (known[i][0].test(code) || known[i][0].test(text)) return known[i][1];
  }
  return '';
}

/** Words for a network error: the sandbox hands some over without a message, only a code. */
function tokenmanErrorText(error) {
  if (!error) return 'unknown error';
  const text = String(error.message || error.code || error.name || error);
  const code = error.code ? String(error.code) : '';
  const words = tokenmanTlsWords(code, text);
  return words ? `${words} (${code || text})` : text;
}

/**
 * What a refusal may mean when the client certificate is the credential (clientAuth tls): the
 * server rarely names the cause (XSUAA answers 401 Bad credentials), and the certificate is set
 * outside the collection, where the script cannot see it.
 */
function tokenmanCertificateRefusal(clientAuth, code) {
  if (clientAuth !== 'tls' || (code !== 400 && code !== 401 && code !== 403)) return '';
  return '; with clientAuth tls the client certificate identifies the client: check that one is set for this host and port, that it is the one registered for this client id, and that it has not expired';
}

/** The URL without its query, which may carry credentials in the GET style. */
function tokenmanSafeUrl(url) {
  return String(url).split('?')[0];
}

/**
 * Why a 3xx answer is not followed. Newman and Postman follow redirects of pm.sendRequest (no
 * script can turn that off; `newman run --ignore-redirects` does), and a 307 or 308 re-sends the
 * body, client secret and password included, to wherever it points. The visible "Get token"
 * request does not follow them, so a redirect is seen here and named rather than obeyed.
 */
function tokenmanRedirectNote(code, location) {
  return (
    `the token endpoint redirects (HTTP ${code}) to ${tokenmanSafeUrl(location)}; a token request is ` +
    'not sent on, as it carries credentials: check the token URL, and use that address only if it ' +
    "is the vendor's own"
  );
}

/**
 * Words for a 2xx answer that is not a JSON object. Its body is never quoted: it may be a token
 * response behind a prefix such as )]} or before an HTML comment, with live tokens in it.
 */
function tokenmanNotJsonNote(code, contentType, text) {
  const size = String(text || '').length;
  if (!size) return `the token endpoint answered HTTP ${code} but not with a JSON object: an empty body`;
  const type = contentType ? `${String(contentType).split(';')[0]}, ` : '';
  return (
    `the token endpoint answered HTTP ${code} but not with a JSON object ` +
    `(${type}${size} characters, not shown as they may hold a token)`
  );
}

/**
 * host[:port] of an absolute URL, lower-cased, without user info and without its scheme's default
 * port (so http://a and https://a:443 are both "a"); '' for anything else.
 */
function tokenmanUrlAuthority(url) {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?/i.exec(String(url));
  if (!match) return '';
  const scheme = match[1].toLowerCase();
  const port = match[3] || '';
  const usual = port === '' || (scheme === 'https' && port === '443') || (scheme === 'http' && port === '80');
  return match[2].toLowerCase() + (usual ? '' : `:${port}`);
}

/**
 * The token endpoint an OpenID Connect discovery answer names, as { endpoint }, or { error } in
 * words: `fields` are where it may be, the first present wins (the mTLS alias, then token_endpoint).
 * A redirect is not followed (the client may have followed one silently: the issuer's host says so).
 */
function tokenmanReadDiscovery(url, answer, fields) {
  const where = `the discovery document at ${tokenmanSafeUrl(url)}`;
  const code = answer.code;
  if (code >= 300 && code < 400 && answer.location) {
    return {
      error:
        `${where} redirects (HTTP ${code}) to ${tokenmanSafeUrl(answer.location)}; tokenman does not follow ` +
        "it: set token.discovery to that address if it is the issuer's own",
    };
  }
  if (code !== 200) {
    return {
      error: `${where} could not be read: ${tokenmanDescribeFailure(code, answer.status, answer.text, answer.body)}`,
    };
  }
  const body = answer.body;
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    const snippet = tokenmanBlankSecretFields(String(answer.text || '').slice(0, 4096))
      .replace(/\s+/g, ' ')
      .trim();
    const type = answer.contentType ? `${String(answer.contentType).split(';')[0]}: ` : '';
    const shown = snippet.length > 80 ? `${snippet.slice(0, 80)}...` : snippet;
    return { error: `${where} is not a JSON object (${type}${shown || 'an empty body'})` };
  }
  // OpenID Connect Discovery 1.0 section 4.3: the issuer is the address the document was asked at.
  // Its host is what a redirect to another host, followed by the client on its own, changes.
  if (typeof body.issuer === 'string' && tokenmanUrlAuthority(body.issuer) !== tokenmanUrlAuthority(url)) {
    return {
      error:
        `${where} names the issuer ${tokenmanSafeUrl(body.issuer)}, on another host or port: a redirect ` +
        "may have been followed; set token.discovery to the issuer's own document",
    };
  }
  for (let i = 0; i < fields.length; i++) {
    const value = tokenmanLookup(body, fields[i]);
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' && /^https:\/\/[^/?#\s]/i.test(value)) return { endpoint: value };
    // OpenID Connect Discovery 1.0 section 3 wants every endpoint over TLS: an https document that
    // names an http endpoint would send the credentials in clear. Only the loopback stays http.
    if (typeof value === 'string' && /^http:\/\/[^/?#\s]/i.test(value)) {
      if (tokenmanIsLoopback(value)) return { endpoint: value };
      return {
        error:
          `${where} names ${fields[i]} ${tokenmanCut(tokenmanSafeUrl(value), 200)}, which is not https: ` +
          'the credentials would be sent in clear, so nothing was sent; OpenID Connect Discovery requires https',
      };
    }
    return {
      error: `${where} has a ${fields[i]} that is not an https URL: ${tokenmanCut(JSON.stringify(value), 80)}`,
    };
  }
  return { error: `${where} has no ${fields.join(' or ')} (fields: ${tokenmanFieldNames(body)})` };
}

/** An http URL on this machine (127.0.0.1, localhost, [::1]), where nothing goes over a network. */
function tokenmanIsLoopback(url) {
  return /^https?:\/\/(?:[^@/?#]*@)?(?:127\.0\.0\.1|localhost|\[::1\])(?::\d*)?(?:[/?#]|$)/i.test(
    String(url),
  );
}

// ---- the part that talks to pm ----

/** Where tokens live: the active environment, or the collection's variables when none is active. */
function tokenmanStore(pm) {
  return pm.environment.name ? pm.environment : pm.collectionVariables;
}

/** Whether the stored token can still be sent: present, and its renewal time not yet reached. */
function tokenmanIsFresh(store, names) {
  const token = store.get(names.token);
  if (typeof token !== 'string' || token === '') return false;
  const renewAt = Number(store.get(names.renewAt));
  return Number.isFinite(renewAt) && Date.now() < renewAt;
}

/**
 * What both halves share: reading variables as Postman substitutes them, keeping the token, and
 * blanking secrets out of every message. `config` is either half's: name, names and secrets.
 */
function tokenmanContext(pm, config) {
  const NAMES = config.names;
  const store = tokenmanStore(pm);

  function lookup(name) {
    if (name.charAt(0) === '$') {
      // Postman's dynamic variables ({{$guid}}, {{$timestamp}}) exist only inside replaceIn.
      const reference = `{{${name}}}`;
      const generated = pm.variables.replaceIn(reference);
      return generated === reference ? undefined : generated;
    }
    const value = pm.variables.get(name);
    return value === undefined || value === null ? undefined : value;
  }
  return {
    label: `tokenman: ${config.name}`,
    store: store,
    lookup: lookup,
    resolve: function (template) {
      return tokenmanResolve(template, lookup);
    },
    /** Drops the token, and the token endpoint read by discovery: it is read again after a failure. */
    clearToken: function () {
      store.unset(NAMES.token);
      store.unset(NAMES.expiresAt);
      store.unset(NAMES.renewAt);
      store.unset(NAMES.endpoint);
      store.unset(NAMES.discovery);
    },
    /** Blanks out secret values, tokens and credential fields, should a vendor's answer echo one. */
    redact: function (message, extra) {
      const values = config.secrets
        .map(lookup)
        .concat([store.get(NAMES.token), store.get(NAMES.refresh)])
        .concat(extra || []);
      return tokenmanRedact(message, values);
    },
    /** Keeps a token and when to renew it; the refresh token too when the spec uses one. */
    storeToken: function (body, token, now, settings) {
      const expiry = tokenmanExpiresAt(body, token, settings, now, require('atob'));
      store.set(NAMES.token, token);
      store.set(NAMES.expiresAt, String(expiry.at));
      store.set(NAMES.renewAt, String(tokenmanRenewAt(expiry.at, now, settings.skew)));
      store.unset(NAMES.failedAt);
      store.unset(NAMES.error);
      const refresh = body.refresh_token;
      if (settings.refresh && typeof refresh === 'string' && refresh) store.set(NAMES.refresh, refresh);
      else store.unset(NAMES.refresh);
      return expiry;
    },
  };
}

function tokenmanParseJson(text) {
  try {
    return JSON.parse(text);
  } catch (_e) {
    return undefined;
  }
}

/**
 * The pre-request half, the collection's pre-request script: every request gets a fresh token
 * before it goes out, fetched only when the stored one is missing or about to expire. A "Get
 * token" request is sent as written instead, with the exact values the script would send.
 */
// biome-ignore lint/correctness/noUnusedVariables: an entry point, called by the script's last line
function tokenmanBeforeRequest(pm, config) {
  const NAMES = config.names;
  const requestId = pm.info.requestId;
  // Own keys only: a request id such as "constructor" is no "Get token" request.
  const tokenRequestOf = Object.hasOwn(config.tokenRequests, requestId)
    ? config.tokenRequests[requestId]
    : undefined;
  const variantKey = pm.variables.get(NAMES.variant) || config.defaultVariant;
  const known = Object.hasOwn(config.variants, variantKey);
  // The common case, decided before any other work (no helper built, nothing required): a request
  // with a token still fresh. Every request a user adds pays for this much and no more.
  if (known && tokenRequestOf === undefined && tokenmanIsFresh(tokenmanStore(pm), NAMES)) return;

  const variant = known ? config.variants[variantKey] : undefined;
  const context = tokenmanContext(pm, config);
  const store = context.store;
  const lookup = context.lookup;
  const resolve = context.resolve;
  const base64 = require('btoa');
  // The signer bundles the generator put above this script's functions, by family (rsa, ec, hmac);
  // none when the spec signs nothing.
  const signers = typeof tokenmanSigners === 'undefined' ? {} : tokenmanSigners;
  // The last assertion this script made; never stored, only blanked out of messages.
  let lastAssertion = '';

  /**
   * Fails the current request: a failed test (a thrown error inside a pm.sendRequest callback is
   * lost, a failed test is what Newman and the Postman runner report), no token left behind, and
   * the request skipped so it never goes out with an empty or stale token. `remember` starts the
   * retryAfter window.
   */
  function fail(message, remember) {
    const safe = context.redact(message, [lastAssertion]);
    context.clearToken();
    if (remember) {
      store.set(NAMES.failedAt, String(Date.now()));
      store.set(NAMES.error, safe);
    }
    pm.test(`${context.label} token`, function () {
      throw new Error(safe);
    });
    pm.execution.skipRequest();
  }

  /** Runs the pre-steps in order, then done(errorMessage?). */
  function runPreSteps(done) {
    const steps = variant.preSteps;
    function next(index) {
      if (index >= steps.length) return done();
      const step = steps[index];
      if (step.unless && lookup(step.unless)) return next(index + 1);
      const missing = [];
      const url = tokenmanResolve(step.url, lookup, missing);
      const header = step.headers.map(function (pair) {
        return { key: pair[0], value: tokenmanResolve(pair[1], lookup, missing) };
      });
      if (missing.length) return done(`step "${step.name}" needs ${missing.join(', ')}`);
      pm.sendRequest({ url: url, method: step.method, header: header }, function (error, response) {
        if (error)
          return done(
            `step "${step.name}" could not reach ${tokenmanSafeUrl(url)}: ${tokenmanErrorText(error)}`,
          );
        const text = response.text();
        const body = tokenmanParseJson(text);
        if (response.code < 200 || response.code >= 300) {
          return done(
            'step "' +
              step.name +
              '" failed: ' +
              tokenmanDescribeFailure(response.code, response.status, text, body),
          );
        }
        for (let i = 0; i < step.set.length; i++) {
          const value = body === undefined ? undefined : tokenmanLookup(body, step.set[i][1]);
          if (value === undefined || value === null || typeof value === 'object') {
            return done(`step "${step.name}": the response has no ${step.set[i][1]}`);
          }
          store.set(step.set[i][0], String(value));
        }
        next(index + 1);
      });
    }
    next(0);
  }

  /**
   * The assertion a request with this grant carries ('' for none), made as it is about to be sent
   * so its iat and exp are now; { error } with the signer's sentence when signing fails.
   */
  function assertionFor(grant) {
    const made = tokenmanMakeAssertion(variant, grant, resolve, signers);
    lastAssertion = made.jwt || '';
    return made;
  }

  /**
   * Reads the token endpoint from the variant's discovery document into TokenEndpoint, unless it was
   * read from this same document before (TokenDiscovery); done(errorMessage?). Nothing to do for a
   * variant whose spec gives the token URL.
   */
  function discover(done) {
    const discovery = variant.discovery;
    if (!discovery) return done();
    const missing = [];
    const url = tokenmanResolve(discovery.url, lookup, missing);
    if (missing.length) {
      return done(
        `set ${missing.join(', ')} in the environment (${pm.environment.name || 'no environment'})`,
      );
    }
    if (store.get(NAMES.endpoint) && store.get(NAMES.discovery) === url) return done();
    const header = [{ key: 'Accept', value: 'application/json' }];
    pm.sendRequest({ url: url, method: 'GET', header: header }, function (error, response) {
      if (error) {
        return done(
          `could not reach the discovery document at ${tokenmanSafeUrl(url)}: ${tokenmanErrorText(error)}`,
        );
      }
      const text = response.text();
      const answer = {
        code: response.code,
        status: response.status,
        location: response.headers.get('Location'),
        contentType: response.headers.get('Content-Type'),
        text: text,
        body: tokenmanParseJson(text),
      };
      const read = tokenmanReadDiscovery(url, answer, discovery.fields);
      if (read.error) return done(read.error);
      store.set(NAMES.endpoint, read.endpoint);
      store.set(NAMES.discovery, url);
      done();
    });
  }

  /** Sends one grant, once the token endpoint is known; done(errorMessage?) after storing the token. */
  function requestToken(grant, refreshToken, done) {
    discover(function (discoveryError) {
      if (discoveryError) return done(discoveryError);
      sendGrant(grant, refreshToken, done);
    });
  }

  function sendGrant(grant, refreshToken, done) {
    const token = variant.token;
    const missing = [];
    const resolveStrict = function (template) {
      return tokenmanResolve(template, lookup, missing);
    };
    // Every value is checked before anything is signed or sent: an empty key is named, not signed.
    tokenmanGrantParams(token, grant, resolveStrict, refreshToken, '');
    if (token.assertion && token.assertion.source === 'sign')
      tokenmanAssertionOptions(token.assertion, resolveStrict);
    const empty = variant.required.filter(function (name) {
      return !lookup(name);
    });
    const unset = missing.concat(empty).filter(function (name, i, all) {
      return all.indexOf(name) === i;
    });
    if (unset.length) {
      return done(`set ${unset.join(', ')} in the environment (${pm.environment.name || 'no environment'})`);
    }
    const made = assertionFor(grant);
    if (made.error) return done(made.error);
    const params = tokenmanGrantParams(token, grant, resolveStrict, refreshToken, made.jwt);
    const request = tokenmanTokenRequest(token, params, resolveStrict, base64);
    const startedAt = Date.now();
    pm.sendRequest(request, function (error, response) {
      if (error) {
        return done(
          `could not reach the token endpoint ${tokenmanSafeUrl(request.url)}: ${tokenmanErrorText(error)}`,
        );
      }
      const text = response.text();
      const body = tokenmanParseJson(text);
      const location = response.headers.get('Location');
      if (response.code >= 300 && response.code < 400 && location) {
        return done(tokenmanRedirectNote(response.code, location));
      }
      if (response.code < 200 || response.code >= 300) {
        const why = tokenmanDescribeFailure(response.code, response.status, text, body);
        const hint =
          tokenmanCertificateRefusal(token.clientAuth, response.code) +
          tokenmanAssertionHint(why, made.jwt ? token.assertion : null);
        return done(`the token endpoint refused: ${why}${hint}`);
      }
      if (body === undefined || body === null || typeof body !== 'object') {
        return done(tokenmanNotJsonNote(response.code, response.headers.get('Content-Type'), text));
      }
      const value = tokenmanLookup(body, token.tokenPath);
      if (typeof value !== 'string' || value === '') {
        return done(
          'the token endpoint answered without a token in "' +
            token.tokenPath +
            '" (fields: ' +
            tokenmanFieldNames(body) +
            ')',
        );
      }
      context.storeToken(body, value, startedAt, token);
      done();
    });
  }

  /**
   * Rewrites the visible "Get token" request, as it goes out, to carry the values the script would
   * send. Its saved body and query are {{Templates}} for a person to read, which Postman pastes in
   * unescaped: a quote or a backslash breaks its JSON, a & # + = or % splits or changes a query
   * value. Postman substitutes {{...}} once more after this script; the values written here are
   * already resolved to the end (only names without a value are left, which it leaves alone too),
   * and query values are percent-encoded, so that pass changes nothing.
   */
  function sendExactValues(settings) {
    const refreshToken = settings.grant === 'refresh_token' ? resolve(settings.refreshToken) : undefined;
    const made = assertionFor(settings.grant);
    if (made.error) return fail(made.error, false);
    const params = tokenmanGrantParams(settings, settings.grant, resolve, refreshToken, made.jwt);
    const exact = tokenmanTokenRequest(settings, params, resolve, base64);
    if (settings.encoding === 'query') pm.request.url.update(exact.url);
    else pm.request.body.update(exact.body);
    // Postman's own Basic auth sends id:secret raw; the RFC 6749 form is the script's to write.
    if (settings.clientAuth === 'basic' && settings.basicEncoding === 'rfc6749') {
      pm.request.headers.upsert({
        key: 'Authorization',
        value: tokenmanBasicAuth(settings, resolve, base64),
      });
    }
  }

  /** Whether a recent failure is still within its retryAfter window, and what it said. */
  function recentFailure() {
    const failedAt = Number(store.get(NAMES.failedAt));
    const windowMs = variant.token.retryAfter * 1000;
    if (!(windowMs > 0) || !Number.isFinite(failedAt) || Date.now() - failedAt >= windowMs) return undefined;
    const seconds = Math.ceil((failedAt + windowMs - Date.now()) / 1000);
    return `${store.get(NAMES.error)} (not retried for another ${seconds} s)`;
  }

  function obtainToken(done) {
    const refreshToken = variant.token.refresh ? lookup(NAMES.refresh) : undefined;
    if (refreshToken) {
      return requestToken('refresh_token', refreshToken, function (refreshError) {
        if (!refreshError) return done();
        // A refused refresh token falls back to the original grant once; never to the stale token.
        store.unset(NAMES.refresh);
        runPreSteps(function (stepError) {
          if (stepError) return done(stepError);
          requestToken(variant.token.grant, undefined, done);
        });
      });
    }
    runPreSteps(function (stepError) {
      if (stepError) return done(stepError);
      requestToken(variant.token.grant, undefined, done);
    });
  }

  if (!variant) {
    return fail(
      `${NAMES.variant} is "${variantKey}"; use one of: ${Object.keys(config.variants).join(', ')}`,
      false,
    );
  }
  if (tokenRequestOf !== undefined) {
    // A "Get token" request of another variant has nothing to do in this environment.
    if (tokenRequestOf !== variantKey) return pm.execution.skipRequest();
    return runPreSteps(function (stepError) {
      if (stepError) return fail(stepError, false);
      discover(function (discoveryError) {
        if (discoveryError) return fail(discoveryError, false);
        sendExactValues(variant.token);
      });
    });
  }
  const previous = recentFailure();
  if (previous) return fail(previous, false);
  return obtainToken(function (error) {
    if (error) fail(error, true);
  });
}

/**
 * The test half of a "Get token" request: its answer is a good token answer, and the token it
 * carries is stored as the pre-request half would store it. `config.token` holds the fields of
 * the variant's token settings that reading an answer needs.
 */
// biome-ignore lint/correctness/noUnusedVariables: an entry point, called by the script's last line
function tokenmanCheckTokenAnswer(pm, config) {
  const context = tokenmanContext(pm, config);
  const settings = config.token;
  const text = pm.response.text();
  const body = tokenmanParseJson(text);
  const code = pm.response.code;
  const ok = code >= 200 && code < 300;
  const value = body && typeof body === 'object' ? tokenmanLookup(body, settings.tokenPath) : undefined;
  // Every message of these tests goes to Newman's reporters (cli, junit, json) as written.
  const refuse = function (message) {
    throw new Error(context.redact(message, [value, body?.refresh_token, body?.id_token]));
  };
  pm.test('token endpoint answers 2xx', function () {
    // The request itself failed (refused, timed out): Newman reports why; there is no status.
    if (typeof code !== 'number') refuse('no answer from the token endpoint; see the request error');
    const location = pm.response.headers.get('Location');
    if (code >= 300 && code < 400 && location) refuse(tokenmanRedirectNote(code, location));
    if (!ok) {
      const why = tokenmanDescribeFailure(code, pm.response.status, text, body);
      refuse(why + tokenmanCertificateRefusal(settings.clientAuth, code));
    }
  });
  pm.test(`response has a token in ${settings.tokenPath}`, function () {
    if (ok && (body === undefined || body === null || typeof body !== 'object')) {
      refuse(tokenmanNotJsonNote(code, pm.response.headers.get('Content-Type'), text));
    }
    if (typeof value !== 'string' || value === '') refuse(`no token in ${settings.tokenPath}`);
  });
  pm.test('token type is Bearer', function () {
    const type = body?.token_type;
    if (type === undefined) refuse('no token_type in the answer');
    if (!/^bearer$/i.test(String(type))) refuse(`token_type is ${JSON.stringify(type)}`);
  });
  if (ok && typeof value === 'string' && value !== '') {
    const now = Date.now();
    const expiry = context.storeToken(body, value, now, settings);
    pm.test(`token expires in the future (from ${expiry.source})`, function () {
      if (!(expiry.at > now)) throw new Error(`expiry ${expiry.at} is not after ${now}`);
    });
  } else {
    context.clearToken();
  }
}

/** The test half of an example request: it answers as the spec says it does with a good token. */
// biome-ignore lint/correctness/noUnusedVariables: an entry point, called by the script's last line
function tokenmanCheckExampleAnswer(pm, config) {
  const expected = config.expectedStatus;
  const code = pm.response.code;
  pm.test(`answers ${expected === null ? '2xx' : `HTTP ${expected}`} with the token`, function () {
    const good = expected === null ? code >= 200 && code < 300 : code === expected;
    if (!good) throw new Error(`HTTP ${code} ${pm.response.status}`);
  });
}

// The generator takes from this file the functions a script needs, and ends the script with the
// call of its one entry point: tokenmanBeforeRequest, tokenmanCheckTokenAnswer or
// tokenmanCheckExampleAnswer(pm, tokenman).
