// Newman's reporters write what was sent and received: a json report holds request bodies (client
// secrets, passwords) and token responses. Every report tokenman writes, and every failure it
// prints, passes through here first.
import { decodedViews, originalRange } from './decoded-views.js';
import { credentialInForm, credentialsInJsonText, isCredentialField, namesVariable } from './token-fields.js';

export const REDACTED = '[redacted by tokenman]';

/**
 * Secrets at least this long are redacted wherever they appear; shorter ones only where they stand
 * as a whole value (a JSON string, a header, form or query parameter value), since redacting "ab"
 * inside every word would destroy the report without hiding anything (docs/credentials.md, "Short
 * secrets").
 */
export const SUBSTRING_MINIMUM = 4;

const AUTHORIZATION = /((?:Basic|Bearer)\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
// What may stand before and after a short secret's whole value: quotes (raw, JSON-escaped, XML),
// `=` of a parameter, `: ` of a header or of `id:secret`, and what ends a parameter, a string or a line.
const QUOTE_BEFORE = /(?:["'=\n\r\u2028\u2029]|&quot;|&#39;|&apos;)$/;
const AFTER_VALUE = /^(?:$|["'&#;,}\]<\s\\])/;

/** Said instead of a text that could not be searched for secrets: none of it is shown. */
export const UNCHECKED = '[not shown by tokenman: this text could not be searched for secrets]';

/** A part of a text to blank, [start, end). */
type Range = [number, number];

/**
 * The JWTs in one run of base64url characters and dots, whichever token field they came from:
 * `eyJ…` (4 or more) `.` (4 or more) `.` any. A scan rather than a regular expression, which runs
 * out of backtracking stack on a run of megabytes.
 */
function jwtsInRun(run: string, offset: number, found: Range[]): void {
  const parts = run.split('.');
  let at = 0;
  for (let i = 0; i + 2 < parts.length; ) {
    const part = parts[i] as string;
    const header = part.indexOf('eyJ');
    const fits = header >= 0 && part.length - header - 3 >= 4 && (parts[i + 1] as string).length >= 4;
    if (!fits) {
      at += part.length + 1;
      i += 1;
      continue;
    }
    const end = at + part.length + 1 + (parts[i + 1] as string).length + 1 + (parts[i + 2] as string).length;
    found.push([offset + at + header, offset + end]);
    at = end + 1;
    i += 3;
  }
}

function isRunChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || // 0-9
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    code === 95 || // _
    code === 46 || // .
    code === 45 // -
  );
}

/** Each run of base64url characters and dots that holds an `eyJ`, scanned once, left to right. */
function jwtRanges(text: string): Range[] {
  const found: Range[] = [];
  let done = 0;
  for (let at = text.indexOf('eyJ'); at >= 0; at = text.indexOf('eyJ', done)) {
    let start = at;
    while (start > done && isRunChar(text.charCodeAt(start - 1))) start--;
    let end = at + 3;
    while (end < text.length && isRunChar(text.charCodeAt(end))) end++;
    jwtsInRun(text.slice(start, end), start, found);
    done = end;
  }
  return found;
}

/** Ranges blanked as one: overlapping ones merged, in order. */
function merged(ranges: Range[]): Range[] {
  const sorted = ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out: Range[] = [];
  for (const range of sorted) {
    const last = out[out.length - 1];
    if (last && range[0] < last[1]) last[1] = Math.max(last[1], range[1]);
    else out.push([range[0], range[1]]);
  }
  return out;
}

function blank(text: string, ranges: Range[]): string {
  if (ranges.length === 0) return text;
  const parts: string[] = [];
  let last = 0;
  for (const [start, end] of merged(ranges)) {
    parts.push(text.slice(last, start), REDACTED);
    last = end;
  }
  parts.push(text.slice(last));
  return parts.join('');
}

/** Whether a short secret found at [start, end) of the text stands there as a whole value. */
function standsAlone(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 6), start);
  const afterColon = /:[ \t]*$/.test(text.slice(Math.max(0, start - 64), start));
  return (
    (start === 0 || QUOTE_BEFORE.test(before) || afterColon) && AFTER_VALUE.test(text.slice(end, end + 1))
  );
}

/**
 * Every place of the text where one of the secrets stands, in any of the text's decoded views;
 * `short` ones only where they stand as a whole value. Each occurrence is found with indexOf, also
 * where occurrences overlap (a secret of one repeated character).
 */
function secretRanges(text: string, long: readonly string[], short: readonly string[]): Range[] {
  const found: Range[] = [];
  if (long.length === 0 && short.length === 0) return found;
  for (const view of decodedViews(text)) {
    for (const [secrets, alone] of [
      [long, false],
      [short, true],
    ] as const) {
      for (const secret of secrets) {
        let last: Range | undefined;
        for (let at = view.text.indexOf(secret); at >= 0; at = view.text.indexOf(secret, at + 1)) {
          const [start, end] = originalRange(view, at, at + secret.length);
          if (alone && !standsAlone(text, start, end)) continue;
          // Overlapping occurrences (a secret of one repeated character) grow one range.
          if (last && start <= last[1]) last[1] = Math.max(last[1], end);
          else {
            last = [start, end];
            found.push(last);
          }
        }
      }
    }
  }
  return found;
}

/** `Set-Cookie: sid=abc; Path=/` keeps its name and attributes; `Cookie: a=1; b=2` keeps names. */
function redactCookies(header: string, value: string): string {
  const cookie = /(^|;\s*)([^=;\s]+=)([^;]*)/g;
  if (header.toLowerCase() === 'set-cookie') return value.replace(/^([^=;]+=)[^;]*/, `$1${REDACTED}`);
  return value.replace(cookie, `$1$2${REDACTED}`);
}

function isBufferJson(value: unknown): value is { type: 'Buffer'; data: number[] } {
  return (
    value !== null &&
    typeof value === 'object' &&
    (value as { type?: unknown }).type === 'Buffer' &&
    Array.isArray((value as { data?: unknown }).data)
  );
}

export interface Redactor {
  /** The text with every secret, token and credential field value replaced by REDACTED. */
  text(text: string): string;
  /** Every string in a JSON value redacted, and the bytes of serialised Buffers (response streams). */
  json(value: unknown): unknown;
}

function longestAlphanumericRun(text: string): string {
  return (text.match(/[A-Za-z0-9]+/g) ?? []).reduce((a, b) => (b.length > a.length ? b : a), '');
}

/** Reports nest a few levels; a vendor's answer nested deeper is redacted as text, not walked. */
const MAX_JSON_DEPTH = 64;

/**
 * A redactor for these secrets, for the many strings of a report. It never throws: a text it
 * could not search (a bug, an engine limit) is replaced whole by UNCHECKED, so what it was given
 * never reaches a stack trace or a report.
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const unique = [...new Set(secrets)].filter((s) => typeof s === 'string' && s.length > 0);
  const whole = new Set(unique);
  // A secret with `&`, `#` or `=` put into a URL as is (Postman resolves {{ClientSecret}} before it
  // parses the query) arrives as pieces: a parameter's value, the next one's name. Each long enough
  // piece is redacted on its own too.
  const pieces = unique.flatMap((s) => s.split(/[&#=]/)).filter((p) => p.length >= SUBSTRING_MINIMUM);
  const long = [...new Set([...unique.filter((s) => s.length >= SUBSTRING_MINIMUM), ...pieces])];
  const short = unique.filter((s) => s.length < SUBSTRING_MINIMUM);
  // Letters and digits are spelled as themselves in every encoding an echo takes, so a text without
  // a secret's longest run of them cannot hold the secret in any form: most of a report's strings
  // are passed over without being decoded.
  const anchors = new Map([...long, ...short].map((secret) => [secret, longestAlphanumericRun(secret)]));

  const inForm = credentialInForm();
  /** Credentials by field name (their value blanked, their name kept), JWTs, Authorization values. */
  const fieldRanges = (input: string): Range[] => {
    const found = jwtRanges(input);
    for (const match of input.matchAll(AUTHORIZATION))
      found.push([match.index + (match[1] as string).length, match.index + match[0].length]);
    // Only a text with a quote can hold a JSON field, only one with "=" a form's.
    const quoted = input.includes('"') || input.includes('&quot;');
    for (const { valueStart, valueEnd } of quoted ? credentialsInJsonText(input) : []) {
      const value = input.slice(valueStart, valueEnd);
      if (!namesVariable(value) && value !== REDACTED) found.push([valueStart, valueEnd]);
    }
    for (const match of input.includes('=') ? input.matchAll(inForm) : []) {
      const value = match[2] as string;
      if (!namesVariable(value))
        found.push([match.index + (match[1] as string).length, match.index + match[0].length]);
    }
    return found;
  };

  const text = (input: string): string => {
    try {
      const value = String(input);
      const present = (secret: string) => {
        const anchor = anchors.get(secret) ?? '';
        return anchor === '' || value.includes(anchor);
      };
      const ranges = secretRanges(value, long.filter(present), short.filter(present));
      return blank(value, [...fieldRanges(value), ...ranges]);
    } catch {
      return UNCHECKED;
    }
  };

  // A Postman {key, value} pair (header, form or query parameter, environment value): its value
  // is a credential when its key names one or its type is secret.
  const pairValue = (pair: Record<string, unknown>, value: unknown, depth: number): unknown => {
    const name = String(pair.key);
    if (typeof value !== 'string' || value === '' || namesVariable(value)) return json(value, depth);
    if (isCredentialField(name) || pair.type === 'secret') return REDACTED;
    if (/^(set-)?cookie$/i.test(name)) return redactCookies(name, value);
    return json(value, depth);
  };

  const json = (value: unknown, depth: number, key?: string): unknown => {
    if (typeof value === 'string') {
      if (whole.has(value)) return REDACTED;
      if (key !== undefined && value !== '' && isCredentialField(key) && !namesVariable(value))
        return REDACTED;
      return text(value);
    }
    if (value === null || typeof value !== 'object') return value;
    if (depth > MAX_JSON_DEPTH) return text(JSON.stringify(value));
    if (isBufferJson(value)) {
      const decoded = Buffer.from(value.data).toString('utf8');
      const redacted = text(decoded);
      return redacted === decoded ? value : { type: 'Buffer', data: [...Buffer.from(redacted, 'utf8')] };
    }
    if (Array.isArray(value)) return value.map((element) => json(element, depth + 1));
    const record = value as Record<string, unknown>;
    const isPair = typeof record.key === 'string';
    return Object.fromEntries(
      Object.entries(record).map(([k, v]) => [
        k,
        isPair && k === 'value' ? pairValue(record, v, depth + 1) : json(v, depth + 1, k),
      ]),
    );
  };

  return {
    text,
    json: (value) => {
      try {
        return json(value, 0);
      } catch {
        return UNCHECKED;
      }
    },
  };
}

export function redactText(text: string, secrets: readonly string[]): string {
  return createRedactor(secrets).text(text);
}

/** Redacts every string in a JSON value, and the bytes of serialised Buffers (response streams). */
export function redactJson(value: unknown, secrets: readonly string[]): unknown {
  return createRedactor(secrets).json(value);
}
