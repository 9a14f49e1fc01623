// The operations of a document in OpenAPI 3 shape, in the document's order: its paths as written,
// and within a path its methods as written. That order is the vendor's (related operations stand
// together), so requests keep it rather than being sorted.
import type { HttpMethod } from '../types.js';
import { deref } from './document-refs.js';

type Json = Record<string, unknown>;

/** The methods a Postman or Bruno request can have; OpenAPI's `trace` is left out. */
const METHODS: Readonly<Record<string, HttpMethod>> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  patch: 'PATCH',
};

/** One operation as the document writes it. */
export interface DocumentOperation {
  method: HttpMethod;
  path: string;
  operation: Json;
  /** Its path item's and its own parameters, its own winning by name and place. */
  parameters: Json[];
  operationId: string;
  tags: string[];
}

export function listOperations(document: Json): DocumentOperation[] {
  const operations: DocumentOperation[] = [];
  const paths = asRecord(document.paths);
  for (const [path, value] of Object.entries(paths ?? {})) {
    const item = asRecord(deref(document, value));
    if (!item) continue;
    const shared = parameterList(document, item.parameters);
    for (const key of Object.keys(item)) {
      const method = METHODS[key];
      if (!method) continue;
      const operation = asRecord(deref(document, item[key]));
      if (!operation) continue;
      const own = parameterList(document, operation.parameters);
      const byPlace = new Map<string, Json>();
      for (const parameter of [...shared, ...own])
        byPlace.set(`${String(parameter.in)} ${String(parameter.name)}`, parameter);
      operations.push({
        method,
        path,
        operation,
        parameters: [...byPlace.values()],
        operationId: typeof operation.operationId === 'string' ? operation.operationId : '',
        tags: Array.isArray(operation.tags)
          ? operation.tags.filter((tag): tag is string => typeof tag === 'string' && tag.trim() !== '')
          : [],
      });
    }
  }
  return operations;
}

function parameterList(document: Json, list: unknown): Json[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry) => {
    const parameter = asRecord(deref(document, entry));
    return parameter && typeof parameter.name === 'string' && typeof parameter.in === 'string'
      ? [parameter]
      : [];
  });
}

export function asRecord(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}
