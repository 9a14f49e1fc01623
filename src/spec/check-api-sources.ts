import type { Problem } from './problem.js';
import type { TokenmanSpec } from './spec-input.generated.js';
import type { SpecSource } from './spec-source.js';

/** The keys of `api` that select and place an API document's operations: without one, they mean nothing. */
const DOCUMENT_KEYS = ['baseUrl', 'include', 'exclude', 'pathVariables'] as const;

/**
 * `api` names what it brings: an OpenAPI document (`openapi`), a Postman collection the user keeps
 * (`collection`), or both; the keys that shape a document's operations need the document.
 */
export function checkApiSources(input: TokenmanSpec, source: SpecSource): Problem[] {
  const api = input.api;
  if (!api) return [];
  if (api.openapi === undefined && api.collection === undefined)
    return [
      source.problem(
        {
          ruleId: 'api-no-source',
          message: 'api names neither an OpenAPI document (openapi) nor a Postman collection (collection)',
          hint: "add openapi: <your vendor's OpenAPI file> or collection: <your exported collection.json>, relative to this spec",
        },
        { path: ['api'], key: true },
      ),
    ];
  if (api.openapi !== undefined) return [];
  return DOCUMENT_KEYS.filter((key) => api[key] !== undefined).map((key) =>
    source.problem(
      {
        ruleId: 'api-needs-openapi',
        message: `api.${key} shapes the operations of an OpenAPI document, and api names none`,
        hint: `add api.openapi, or remove api.${key}: the requests of api.collection are kept as the collection has them`,
      },
      { path: ['api', key], key: true },
    ),
  );
}
