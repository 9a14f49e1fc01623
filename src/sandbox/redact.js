// @ts-check
// Nothing a script reports may carry a secret, a token or a signed assertion: every message goes
// through tokenmanRedact before a client prints it or writes it into a report.

/**
 * The text with the value of every field named like a credential or a token blanked out:
 * `"access_token": "..."`, `refresh_token=...`, `client_secret=...`. A vendor's error page or an
 * almost-JSON answer may carry live tokens, whose values tokenman does not know in advance.
 * @param {string} text
 * @returns {string}
 */
export function tokenmanBlankSecretFields(text) {
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
  return String(text).replace(field, (whole, quote, quotedName, colon, edge, bareName, equals, value) => {
    const key = quotedName || bareName;
    // The token type (Bearer) is what a person needs to read, and no secret.
    if (/^token_type$/i.test(key)) return whole;
    const mark = value.charAt(0) === '"' || value.charAt(0) === "'" ? value.charAt(0) : '';
    const before = quotedName ? `${quote}${key}${quote}${colon}` : `${edge}${key}${equals}`;
    return `${before}${mark}***${mark}`;
  });
}

/**
 * The forms a secret value takes in a message: as is, URL-encoded (a query or form body, space as
 * %20 or +) and escaped inside a JSON string.
 * @param {string} value
 * @returns {string[]}
 */
export function tokenmanSecretForms(value) {
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
 * one reporting. Literal split and join, never a pattern built from the values: a value of any
 * length or alphabet is replaced, and nothing here can throw over one.
 * @param {unknown} message
 * @param {unknown[]} values
 * @returns {string}
 */
export function tokenmanRedact(message, values) {
  /** @type {string[]} */
  let forms = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === 'string' && value.length >= 4) forms = forms.concat(tokenmanSecretForms(value));
  }
  forms.sort((a, b) => b.length - a.length);
  let out = String(message);
  for (let j = 0; j < forms.length; j++) out = out.split(forms[j] || '***').join('***');
  return tokenmanBlankSecretFields(tokenmanBlankJwts(out));
}

/**
 * The text with every JWT (three base64url parts, the first a JSON header) as ***.
 * @param {string} text
 * @returns {string}
 */
export function tokenmanBlankJwts(text) {
  return String(text).replace(/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '***');
}
