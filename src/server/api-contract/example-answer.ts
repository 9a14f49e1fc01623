// The answer an operation documents: its success status (the one 2xx it lists, else the lowest),
// and its JSON example, or a value openapi-sampler writes from the answer's schema. OpenAPI 3
// writes these under `content`; Swagger 2.0 keeps `schema` and `examples` on the response itself.
import { deref } from '../../spec/api/document-refs.js';
import { firstExample, sampled } from '../../spec/api/example-values.js';
import { isJsonMediaType } from '../../spec/api/json-media-type.js';
import { asRecord, type DocumentOperation } from '../../spec/api/list-operations.js';
import { restoreLiteralRefs } from '../../spec/api/literal-refs.js';
import type { HttpReply } from '../reply.js';

type Json = Record<string, unknown>;

/** The status a success answers with: `201` of [`201`], `200` of [`200`, `204`], 200 of `2XX` or none. */
export function successStatusOf(operation: DocumentOperation): { code: string; status: number } {
  const responses = asRecord(operation.operation.responses) ?? {};
  const codes = Object.keys(responses)
    .filter((code) => /^2\d\d$/.test(code))
    .sort();
  const exact = codes[0];
  if (exact) return { code: exact, status: Number(exact) };
  const range = Object.keys(responses).find((code) => /^2XX$/i.test(code));
  return { code: range ?? 'default', status: 200 };
}

export function exampleAnswer(document: Json, operation: DocumentOperation, method: string): HttpReply {
  const { code, status } = successStatusOf(operation);
  const response = asRecord(deref(document, asRecord(operation.operation.responses)?.[code]));
  const empty: HttpReply = { status, body: '', contentType: 'text/plain' };
  if (!response || status === 204 || status === 304 || method.toUpperCase() === 'HEAD') return empty;
  const value = answerValue(document, response);
  if (value === undefined) return empty;
  const text = JSON.stringify(restoreLiteralRefs(value));
  return text === undefined ? empty : { status, body: text, contentType: 'application/json' };
}

/** The JSON an answer holds: an example, else one sampled from its schema; undefined for none. */
function answerValue(document: Json, response: Json): unknown {
  const content = asRecord(response.content);
  if (content) {
    const type = Object.keys(content).find(isJsonMediaType) ?? Object.keys(content).find((t) => t === '*/*');
    if (type === undefined) return undefined;
    const media = asRecord(deref(document, content[type])) ?? {};
    const example = media.example ?? firstExample(document, media.examples);
    return example !== undefined ? example : sampledAnswer(document, media.schema);
  }
  // Swagger 2.0: examples by media type, and the schema on the response.
  const examples = asRecord(response.examples);
  const type = examples ? Object.keys(examples).find(isJsonMediaType) : undefined;
  if (examples && type) return examples[type];
  return response.schema === undefined ? undefined : sampledAnswer(document, response.schema);
}

/** The answer's sample; a schema the sampler cannot read gets an empty object, saying what it is at least. */
function sampledAnswer(document: Json, schema: unknown): unknown {
  try {
    return sampled(document, deref(document, schema), 'answer');
  } catch {
    return {};
  }
}
