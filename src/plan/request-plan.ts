// The requests that use the token, as every target sends them: which headers and which body text,
// so the collections and the docs (and the next client) send the same bytes.

import { fillTemplate } from '../spec/template.js';
import type { Pair } from '../spec/token-params.js';
import type { ApiOperation, ApiRequestDef, HttpMethod, Spec } from '../spec/types.js';
import { JSON_MEDIA_TYPE } from './token-plan.js';

/** A parameter of a request: a path variable, a query parameter or a header. */
export interface RequestParameter {
  name: string;
  /** A template: a path variable's `{{Name}}`, an example value, or '' for the user to fill. */
  value: string;
  /** Markdown; '' for none. */
  description: string;
  /** Sent as it stands; an optional query parameter or header is shown but not sent. */
  enabled: boolean;
}

/** The operation of an API document a request was planned from. */
export interface OperationRef {
  method: HttpMethod;
  /** The path as the document writes it: `/realms/{realm}/users`. */
  path: string;
  /** '' when the document gives none. */
  operationId: string;
  tags: string[];
}

export interface RequestPlan {
  /**
   * Stable across builds, and unique in the spec: what a target derives its own ids from. A
   * document's operation is keyed by its method and path, so a rebuild after the vendor adds
   * operations changes only those.
   */
  key: string[];
  name: string;
  /** Markdown; '' for none. */
  description: string;
  /** The folders it stands in, outermost first; [] at the collection's top. */
  folder: string[];
  method: HttpMethod;
  /**
   * The URL as a template; a path variable stands as `:name`, a segment of its own (as Postman and
   * Bruno write one), with its value in `pathVariables`.
   */
  url: string;
  pathVariables: RequestParameter[];
  /** Query parameters beside any the URL writes itself. */
  query: RequestParameter[];
  /** The request's own headers, Content-Type included; the Bearer token is the collection's. */
  headers: RequestParameter[];
  /** A JSON body as it is sent, its {{Variables}} still in it; null for none. */
  body: { text: string } | null;
  /** The exact status with a good token; null for any 2xx. */
  expect: number | null;
  /** `inherit` sends the collection's token; `none` nothing (an operation that needs no token). */
  auth: 'inherit' | 'none';
  /** The operation of an API document it was planned from; null for the spec's own requests. */
  operation: OperationRef | null;
}

/**
 * The query parameters a URL template writes itself (`…/users?limit=1`), as every client lists
 * them beside the plan's own: each `key=value` of its query string, a key alone with the value ''.
 */
export function urlQuery(url: string): RequestParameter[] {
  // Each {{Variable}} masked with as many underscores, so an index found is one in `url`.
  const masked = fillTemplate(url, (variable) => '_'.repeat(variable.length));
  // As Postman's parser reads a URL: the fragment first, then the query string before it.
  const hash = masked.indexOf('#');
  const end = hash < 0 ? url.length : hash;
  const start = masked.indexOf('?');
  if (start < 0 || start >= end) return [];
  const parameters: RequestParameter[] = [];
  for (let from = start + 1; from <= end; ) {
    const amp = masked.indexOf('&', from);
    const to = amp < 0 || amp > end ? end : amp;
    const equals = masked.indexOf('=', from);
    const [name, value] =
      equals >= 0 && equals < to
        ? [url.slice(from, equals), url.slice(equals + 1, to)]
        : [url.slice(from, to), ''];
    parameters.push({ name, value, description: '', enabled: true });
    from = to + 1;
  }
  return parameters;
}

/**
 * The URL as a client sends it: the plan's URL with the query parameters that are sent after any
 * it writes itself. An optional parameter is left out; each client lists it beside the URL.
 */
export function sentUrl(request: Pick<RequestPlan, 'url' | 'query'>): string {
  const sent = request.query.filter((parameter) => parameter.enabled);
  if (!sent.length) return request.url;
  const query = sent.map(({ name, value }) => `${name}=${value}`).join('&');
  return `${request.url}${request.url.includes('?') ? '&' : '?'}${query}`;
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

/** Headers that are all sent, as request parameters. */
export function sentHeaders(headers: Pair[]): RequestParameter[] {
  return headers.map(([name, value]) => ({ name, value, description: '', enabled: true }));
}

/** The spec's example requests, in its order, at the collection's top. */
export function planRequests(spec: Spec): RequestPlan[] {
  return spec.requests.map((request, index) => ({
    key: ['request', String(index)],
    name: request.name,
    description: request.description,
    folder: [],
    method: request.method,
    url: request.url,
    pathVariables: [],
    query: [],
    headers: sentHeaders(apiRequestHeaders(request)),
    body: request.json === undefined ? null : { text: jsonBodyText(request.json) },
    expect: request.expect,
    auth: 'inherit',
    operation: null,
  }));
}

/**
 * The URL of an operation: the base URL, then the path with each parameter that is a segment of
 * its own written `:name` (a path variable, whose value is in `pathVariables`) and one inside a
 * segment (OData's `Assets({key})`) written as its `{{Variable}}`, which no client reads there.
 */
export function operationUrl(baseUrl: string, operation: ApiOperation): string {
  const byName = new Map(operation.pathParameters.map((parameter) => [parameter.name, parameter]));
  const path = operation.path.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
    const parameter = byName.get(name);
    if (!parameter) return whole;
    return parameter.segment ? `:${name}` : `{{${parameter.variable}}}`;
  });
  return `${baseUrl}${path}`;
}

/** What a request of an operation says of itself: the document's words, and what tokenman left to the user. */
function operationDescription(operation: ApiOperation): string {
  const parts = operation.description ? [operation.description] : [];
  if (operation.noToken) parts.push('Sent without a token: the API document says it needs none.');
  if (operation.otherBody)
    parts.push(
      `Its \`${operation.otherBody}\` body is not written here: add it in the client before sending.`,
    );
  return parts.join('\n\n');
}

/**
 * The requests of the spec's API document, after the spec's own: one per selected operation, in
 * the document's order, in the folder of its first tag. Keyed by method and path, so a rebuild
 * after the vendor adds operations changes only theirs.
 */
export function planOperations(spec: Spec): RequestPlan[] {
  const api = spec.api;
  if (!api) return [];
  return api.operations.map((operation) => {
    const headers: RequestParameter[] = operation.headers.flatMap((header) =>
      header.values.map((value) => ({
        name: header.name,
        value,
        description: header.description,
        enabled: header.required,
      })),
    );
    if (operation.body)
      headers.push({ name: 'Content-Type', value: operation.body.mediaType, description: '', enabled: true });
    return {
      key: ['operation', operation.method, operation.path],
      name: operation.name,
      description: operationDescription(operation),
      folder: [operation.folder],
      method: operation.method,
      url: operationUrl(api.baseUrl, operation),
      pathVariables: operation.pathParameters
        .filter((parameter) => parameter.segment)
        .map((parameter) => ({
          name: parameter.name,
          value: `{{${parameter.variable}}}`,
          description: parameter.description,
          enabled: true,
        })),
      query: operation.query.flatMap((parameter) =>
        parameter.values.map((value) => ({
          name: parameter.name,
          value,
          description: parameter.description,
          enabled: parameter.required,
        })),
      ),
      headers,
      body: operation.body ? { text: jsonBodyText(operation.body.value) } : null,
      expect: operation.successStatus,
      auth: operation.noToken ? 'none' : 'inherit',
      operation: {
        method: operation.method,
        path: operation.path,
        operationId: operation.operationId,
        tags: operation.tags,
      },
    };
  });
}
