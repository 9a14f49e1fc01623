// The requests that use the token, as every target sends them: which headers and which body text,
// so the collections and the docs (and the next client) send the same bytes.
import type { Pair } from '../spec/token-params.js';
import type { ApiRequestDef, HttpMethod, Spec } from '../spec/types.js';
import { JSON_MEDIA_TYPE } from './token-plan.js';

export interface RequestPlan {
  /** Stable across builds, and unique in the spec: what a target derives its own ids from. */
  key: string[];
  name: string;
  /** Markdown; '' for none. */
  description: string;
  method: HttpMethod;
  url: string;
  /** The request's own headers, Content-Type included; the Bearer token is the collection's. */
  headers: Pair[];
  /** A JSON body as it is sent, its {{Variables}} still in it; null for none. */
  body: { text: string } | null;
  /** The exact status with a good token; null for any 2xx. */
  expect: number | null;
}

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

/** The spec's example requests, in its order. */
export function planRequests(spec: Spec): RequestPlan[] {
  return spec.requests.map((request, index) => ({
    key: ['request', String(index)],
    name: request.name,
    description: request.description,
    method: request.method,
    url: request.url,
    headers: apiRequestHeaders(request),
    body: request.json === undefined ? null : { text: jsonBodyText(request.json) },
    expect: request.expect,
  }));
}
