// Which fields of a token answer, a request or an environment hold a credential, by name: the one
// place that decides it, for collecting token values from responses and for redacting by field name.
import { RESERVED_VARIABLES } from '../spec/reserved-variables.js';
import { fillTemplate, templateReferences } from '../spec/template.js';

/**
 * The last word of a credential's field name: access_token, refresh_token, id_token, client_secret,
 * client_assertion (not a bare `assertion`: Newman names each test so in its json report).
 */
const CREDENTIAL_TAIL = '(?:token|secret|password|api[_-]?key|[A-Za-z0-9]_?assertion)';

const CREDENTIAL_NAME = new RegExp(`${CREDENTIAL_TAIL}$`, 'i');

/**
 * access_token, refresh_token, id_token, client_secret, client_assertion, password, Token,
 * RefreshToken, sessionToken, apiKey, but not token_type, expires_in, TokenExpiresAt or TokenError.
 */
export function isCredentialField(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}

// A quote as it appears raw, inside a JSON string (\") or in XML (&quot;, junit reports).
const QUOTE = '(?:"|\\\\"|&quot;)';
const FIELD = `[A-Za-z0-9_.-]*${CREDENTIAL_TAIL}`;

/** `"access_token": "` as it opens a credential's value in JSON, raw, JSON-escaped or XML-escaped. */
const CREDENTIAL_OPENING_IN_JSON = new RegExp(`${QUOTE}${FIELD}${QUOTE}\\s*:\\s*${QUOTE}`, 'gi');

/** Where a credential's value starts and ends in a text, found by credentialsInJsonText. */
export interface FoundValue {
  /** Where the field's opening quote is: the text from here to `valueStart` is kept. */
  start: number;
  valueStart: number;
  valueEnd: number;
}

/**
 * Every `"access_token": "value` in any text: a JSON body, one behind a `)]}'` prefix or before an
 * HTML comment, or a message quoting a body cut short (the value then runs to the end of the text).
 * A value ends at its closing quote, raw (`"`), JSON-escaped (`\"`) or XML-escaped (`&quot;`).
 * Only the opening is a regular expression; the ends are found with indexOf, each remembered for
 * the next value, so a text of megabytes costs a scan, never a backtracking stack that runs out.
 */
export function* credentialsInJsonText(text: string): Generator<FoundValue> {
  // A copy, so each scan keeps its own place (a compiled pattern is copied, not compiled again).
  const opening = new RegExp(CREDENTIAL_OPENING_IN_JSON);
  const next = { '"': -2, '&quot;': -2 };
  const find = (needle: keyof typeof next, from: number): number => {
    const known = next[needle];
    if (known === -1 || known >= from) return known;
    next[needle] = text.indexOf(needle, from);
    return next[needle];
  };
  for (let match = opening.exec(text); match; match = opening.exec(text)) {
    const valueStart = match.index + match[0].length;
    const quote = find('"', valueStart);
    const raw = quote < 0 ? text.length : quote > valueStart && text[quote - 1] === '\\' ? quote - 1 : quote;
    const entity = find('&quot;', valueStart);
    const end = entity >= 0 && entity < raw ? entity : raw;
    if (end === valueStart) continue;
    yield { start: match.index, valueStart, valueEnd: end };
    opening.lastIndex = end;
  }
}

const CREDENTIAL_IN_FORM = new RegExp(`((?:^|[?&;\\s])${FIELD}=)([^&\\s"'<#]+)`, 'gi');

/** `client_secret=value` in a form body or a query string; group 1 up to `=`, group 2 the value. */
export function credentialInForm(): RegExp {
  return new RegExp(CREDENTIAL_IN_FORM);
}

/**
 * A variable's name rather than a value, never redacted: references such as `{{ClientSecret}}` or
 * `{{Password}}{{Passcode}}`, or one of tokenman's own variables (the script's config says `"token": "Token"`).
 */
export function namesVariable(value: string): boolean {
  const references = templateReferences(value);
  return (
    (references.length > 0 &&
      references.every((ref) => ref.name !== '') &&
      fillTemplate(value, () => '') === '') ||
    RESERVED_VARIABLES.includes(value)
  );
}
