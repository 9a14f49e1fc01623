// The tokens a run received are secrets too, whether or not the script stored them (a refresh token
// with `refresh: false`, an opaque token, a token in an answer the script could not parse): they
// are collected from every response Newman recorded, so reports and messages redact their values.
import type { NewmanRunSummary } from 'newman';
import { SUBSTRING_MINIMUM } from './redact.js';
import { credentialsInJsonText, isCredentialField, namesVariable } from './token-fields.js';

/** JSON behind a guard prefix (`)]}'`, `while(1);`) or before a trailing comment, when there is any. */
function parseTolerant(text: string): unknown {
  const start = text.search(/[{[]/);
  if (start < 0) return undefined;
  const end = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
  for (const candidate of [text.slice(start), text.slice(start, end + 1)]) {
    try {
      return JSON.parse(candidate);
    } catch {
      // the next candidate, or a scan of the raw text
    }
  }
  return undefined;
}

/**
 * The values under credential field names, at any depth. The walk keeps its own stack: a vendor's
 * answer nested thousands deep would overflow the call stack of a recursive one.
 */
function collect(root: unknown, found: Set<string>): void {
  const stack: Array<[unknown, string | undefined]> = [[root, undefined]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [value, key] = next;
    if (typeof value === 'string') {
      if (key !== undefined && value !== '' && isCredentialField(key) && !namesVariable(value))
        found.add(value);
    } else if (Array.isArray(value)) {
      for (const element of value) stack.push([element, undefined]);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) stack.push([v, k]);
    }
  }
}

/** The JSON string escapes of a scanned value undone, so `a\/b` is redacted as `a/b` too. */
function unescapeJson(value: string): string | undefined {
  try {
    const decoded: unknown = JSON.parse(`"${value}"`);
    return typeof decoded === 'string' ? decoded : undefined;
  } catch {
    return undefined;
  }
}

/** Every credential value in a response body: parsed as JSON where it can be, and scanned as text. */
export function credentialsInBody(text: string): string[] {
  const found = new Set<string>();
  collect(parseTolerant(text), found);
  for (const { valueStart, valueEnd } of credentialsInJsonText(text)) {
    const value = text.slice(valueStart, valueEnd);
    if (namesVariable(value)) continue;
    found.add(value);
    const decoded = unescapeJson(value);
    if (decoded) found.add(decoded);
  }
  return [...found];
}

/** The value a `Set-Cookie` header sets (`sid=abc; Path=/` → `abc`). */
export function cookieValue(header: string): string | undefined {
  const value = /^[^=;]+=([^;]*)/.exec(header)?.[1]?.trim();
  return value ? value : undefined;
}

/** Every credential in the responses of a Newman run: token fields of bodies, values of cookies set. */
export function credentialsOfRun(summary: NewmanRunSummary): string[] {
  const found = new Set<string>();
  for (const execution of summary.run.executions ?? []) {
    const response = execution.response as typeof execution.response | undefined;
    if (!response) continue;
    if (response.stream) {
      // A Buffer, or in a json report {type: 'Buffer', data: [...]}, which Buffer.from reads alike.
      const bytes = Buffer.from(response.stream as unknown as Uint8Array);
      for (const value of credentialsInBody(bytes.toString('utf8'))) found.add(value);
    }
    // Live from Newman, or plain JSON from a json report (the Postman CLI's).
    const headers = response.headers as unknown as { all?: () => unknown[] } | unknown[] | undefined;
    const all = (Array.isArray(headers) ? headers : (headers?.all?.() ?? [])) as Array<{
      key: string;
      value: unknown;
    }>;
    for (const header of all) {
      if (header.key.toLowerCase() !== 'set-cookie') continue;
      // The header itself is always redacted; a value as short as `1` (a consent flag) is no secret.
      const value = cookieValue(String(header.value));
      if (value && value.length >= SUBSTRING_MINIMUM) found.add(value);
    }
  }
  return [...found];
}

interface BruReportResult {
  response?: { headers?: Record<string, unknown> | null; data?: unknown } | null;
}

/**
 * Every credential in the answers `bru run` recorded in its json report (an iteration, or a list of
 * them): token fields of bodies (parsed by bru, or text), values of cookies set. Bruno's reports are
 * redacted with these as Newman's are with credentialsOfRun.
 */
export function credentialsOfBruReport(report: unknown): string[] {
  const found = new Set<string>();
  const iterations = (Array.isArray(report) ? report : [report]) as Array<{ results?: unknown } | null>;
  for (const iteration of iterations) {
    const results = Array.isArray(iteration?.results) ? (iteration.results as BruReportResult[]) : [];
    for (const result of results) {
      const response = result?.response;
      if (!response || typeof response !== 'object') continue;
      const { data, headers } = response;
      if (typeof data === 'string') for (const value of credentialsInBody(data)) found.add(value);
      else collect(data, found);
      const cookies = headers?.['set-cookie'];
      for (const header of Array.isArray(cookies) ? cookies : cookies === undefined ? [] : [cookies]) {
        const value = cookieValue(String(header));
        if (value && value.length >= SUBSTRING_MINIMUM) found.add(value);
      }
    }
  }
  return [...found];
}
