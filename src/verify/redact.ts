// Newman's reporters write what was sent and received: a json report holds request bodies (client
// secrets, passwords) and token responses. Every report tokenman writes, and every failure it
// prints, passes through here first.
import { credentialInForm, credentialInJson, isCredentialField, namesVariable } from './token-fields.js';

export const REDACTED = '[redacted by tokenman]';

/**
 * Secrets at least this long are redacted wherever they appear; shorter ones only where they stand
 * as a whole value (a JSON string, a header, form or query parameter value), since redacting "ab"
 * inside every word would destroy the report without hiding anything (docs/credentials.md, "Short
 * secrets").
 */
export const SUBSTRING_MINIMUM = 4;

// Three base64url parts, the first a JSON header: any JWT, whichever token field it came from.
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const AUTHORIZATION = /((?:Basic|Bearer)\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
// What may stand before and after a whole value: quotes (raw, JSON-escaped, XML), `=` of a
// parameter, `: ` of a header or of `id:secret`, and what ends a parameter, a string or a line.
const BEFORE_VALUE = `^|["'=]|&quot;|&#39;|&apos;|:[ \\t]*`;
const AFTER_VALUE = `$|["'&#;,}\\]<\\s\\\\]`;
const XML_ENTITIES: Record<string, string[]> = {
  '&': ['&amp;'],
  '<': ['&lt;'],
  '>': ['&gt;'],
  '"': ['&quot;', '&#34;'],
  "'": ['&apos;', '&#39;', '&#x27;'],
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Hex digits of `n` matching either case: `%2f` and `%2F` are the same byte. */
function hexPattern(n: number, width: number): string {
  return [...n.toString(16).padStart(width, '0')]
    .map((digit) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit))
    .join('');
}

/** A piece of text as it is, or XML-escaped as a junit report writes it. */
function xmlAware(text: string): string {
  return [...text]
    .map((char) => {
      const entities = XML_ENTITIES[char];
      return entities ? `(?:${[char, ...entities].map(escapeRegExp).join('|')})` : escapeRegExp(char);
    })
    .join('');
}

/**
 * One character of a secret in every form an echo may take: as is, percent-encoded (either hex
 * case; `+` for a space, as forms encode it), JSON-escaped (`\"`, `\/`, `\u0022`), and any of those
 * XML-escaped. Letters and digits are never encoded, so they stay literal and the pattern fast.
 */
function charPattern(char: string): string {
  if (/^[A-Za-z0-9]$/.test(char)) return char;
  const jsonEscaped = JSON.stringify(char).slice(1, -1);
  const literal = new Set([char, jsonEscaped, ...(char === '/' ? ['\\/'] : [])]);
  const units = Array.from({ length: char.length }, (_, i) => char.charCodeAt(i));
  const forms = [
    ...[...literal].map(xmlAware),
    units.map((unit) => `\\\\u${hexPattern(unit, 4)}`).join(''),
    [...Buffer.from(char, 'utf8')].map((byte) => `%${hexPattern(byte, 2)}`).join(''),
    ...(char === ' ' ? ['\\+'] : []),
  ];
  return `(?:${forms.join('|')})`;
}

function secretPattern(secret: string): string {
  return [...secret].map(charPattern).join('');
}

function keepNames(match: string, before: string, value: string): string {
  return namesVariable(value) || value === REDACTED ? match : `${before}${REDACTED}`;
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

/** Compiles the patterns for these secrets once, for the many strings of a report. */
export function createRedactor(secrets: readonly string[]): Redactor {
  const unique = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  const whole = new Set(unique);
  // A secret with `&`, `#` or `=` put into a URL as is (Postman resolves {{ClientSecret}} before it
  // parses the query) arrives as pieces: a parameter's value, the next one's name. Each long enough
  // piece is redacted on its own too.
  const pieces = unique.flatMap((s) => s.split(/[&#=]/)).filter((p) => p.length >= SUBSTRING_MINIMUM);
  const long = [...new Set([...unique.filter((s) => s.length >= SUBSTRING_MINIMUM), ...pieces])].sort(
    (a, b) => b.length - a.length,
  );
  const short = unique.filter((s) => s.length < SUBSTRING_MINIMUM);
  const anywhere = long.length ? new RegExp(long.map(secretPattern).join('|'), 'g') : undefined;
  const standalone = short.length
    ? new RegExp(`(?<=${BEFORE_VALUE})(?:${short.map(secretPattern).join('|')})(?=${AFTER_VALUE})`, 'gm')
    : undefined;

  const inJson = credentialInJson();
  const inForm = credentialInForm();

  const text = (input: string): string => {
    let out = input
      .replace(JWT, REDACTED)
      .replace(AUTHORIZATION, `$1${REDACTED}`)
      .replace(inJson, keepNames)
      .replace(inForm, keepNames);
    if (anywhere) out = out.replace(anywhere, REDACTED);
    if (standalone) out = out.replace(standalone, REDACTED);
    return out;
  };

  // A Postman {key, value} pair (header, form or query parameter, environment value): its value
  // is a credential when its key names one or its type is secret.
  const pairValue = (pair: Record<string, unknown>, value: unknown): unknown => {
    const name = String(pair.key);
    if (typeof value !== 'string' || value === '' || namesVariable(value)) return json(value);
    if (isCredentialField(name) || pair.type === 'secret') return REDACTED;
    if (/^(set-)?cookie$/i.test(name)) return redactCookies(name, value);
    return json(value);
  };

  const json = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') {
      if (whole.has(value)) return REDACTED;
      if (key !== undefined && value !== '' && isCredentialField(key) && !namesVariable(value))
        return REDACTED;
      return text(value);
    }
    if (isBufferJson(value)) {
      const decoded = Buffer.from(value.data).toString('utf8');
      const redacted = text(decoded);
      return redacted === decoded ? value : { type: 'Buffer', data: [...Buffer.from(redacted, 'utf8')] };
    }
    if (Array.isArray(value)) return value.map((element) => json(element));
    if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      const isPair = typeof record.key === 'string';
      return Object.fromEntries(
        Object.entries(record).map(([k, v]) => [
          k,
          isPair && k === 'value' ? pairValue(record, v) : json(v, k),
        ]),
      );
    }
    return value;
  };

  return { text, json: (value) => json(value) };
}

export function redactText(text: string, secrets: readonly string[]): string {
  return createRedactor(secrets).text(text);
}

/** Redacts every string in a JSON value, and the bytes of serialised Buffers (response streams). */
export function redactJson(value: unknown, secrets: readonly string[]): unknown {
  return createRedactor(secrets).json(value);
}
