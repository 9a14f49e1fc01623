// The spec's example requests as every target sends them: which headers and which body text, so the
// collection and the docs (and the next client) send the same bytes.
import type { ApiRequestDef } from '../spec/types.js';
import { JSON_MEDIA_TYPE, type Pair } from './token-plan.js';

/** The text of a JSON body as it is sent: two-space indented, its {{Variables}} still in it. */
export function jsonBodyText(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/**
 * The headers of an example request besides its Bearer token: the spec's own, then Content-Type for
 * a JSON body unless the spec sets one.
 */
export function apiRequestHeaders(request: ApiRequestDef): Pair[] {
  const headers: Pair[] = [...request.headers];
  const hasContentType = headers.some(([key]) => key.toLowerCase() === 'content-type');
  if (request.json !== undefined && !hasContentType) headers.push(['Content-Type', JSON_MEDIA_TYPE]);
  return headers;
}
