// The values a request is sent with: the document's own example where it gives one, otherwise one
// openapi-sampler writes from the schema (an enum's first value, a default, a date for a date). A
// request body leaves out read-only properties (the server sets them); patterns are not followed,
// as the sampler's guesses at them break length limits more often than they help.
import OpenApiSampler from 'openapi-sampler';
import { deref } from './document-refs.js';
import { isJsonMediaType } from './json-media-type.js';
import { asRecord } from './list-operations.js';
import { restoreLiteralRefs } from './literal-refs.js';

type Json = Record<string, unknown>;

/** The first value of an OpenAPI `examples` map (Example Objects) or of a JSON Schema list. */
export function firstExample(document: Json, examples: unknown): unknown {
  if (Array.isArray(examples)) return examples[0];
  const map = asRecord(examples);
  if (!map) return undefined;
  for (const example of Object.values(map)) {
    const value = asRecord(deref(document, example));
    if (value && 'value' in value) return value.value;
  }
  return undefined;
}

/** Which properties a sample leaves out: a request's read-only ones, an answer's write-only ones. */
export type SampleFor = 'parameter' | 'request' | 'answer';

/** A value openapi-sampler writes from a schema. Throws what the sampler throws (a schema it cannot read). */
export function sampled(document: Json, schema: unknown, sampleFor: SampleFor): unknown {
  const options = {
    skipReadOnly: sampleFor === 'request',
    skipWriteOnly: sampleFor === 'answer',
    quiet: true,
  };
  // The sampler's types take JSON Schema 7; OpenAPI's schema objects are that shape, near enough.
  return OpenApiSampler.sample((asRecord(schema) ?? {}) as never, options, document);
}

/** A plain JSON value (a tree of JSON types), with literal `$ref`s named back. */
function plainJson(value: unknown): unknown {
  const text = JSON.stringify(restoreLiteralRefs(value));
  return text === undefined ? null : JSON.parse(text);
}

/** A schema that names a value itself: an example, a default, the values allowed. */
function namesValue(document: Json, schema: Json | undefined): boolean {
  if (!schema) return false;
  if (['example', 'examples', 'default', 'enum', 'const'].some((key) => schema[key] !== undefined))
    return true;
  return schema.type === 'array' && namesValue(document, asRecord(deref(document, schema.items)));
}

/**
 * The example of a parameter (query or header) as it is sent: one text per entry. Without one in
 * the document, a required parameter gets a value its schema allows; an optional one a value only
 * when its schema names one (a default, an enum), '' otherwise, rather than "string" or 0.
 */
export function parameterValues(document: Json, parameter: Json): string[] {
  let value = parameter.example ?? firstExample(document, parameter.examples);
  const schema = asRecord(deref(document, parameter.schema));
  if (value === undefined) {
    // A parameter described by `content` instead of `schema` (rare) is sent as its JSON.
    const content = asRecord(parameter.content);
    const media = content ? asRecord(Object.values(content)[0]) : undefined;
    value = media ? (media.example ?? firstExample(document, media.examples)) : undefined;
    if (value === undefined && schema && (parameter.required === true || namesValue(document, schema))) {
      try {
        value = sampled(document, schema, 'parameter');
      } catch {
        value = undefined;
      }
    }
  }
  if (value === undefined || value === null) return [''];
  if (Array.isArray(value)) {
    const items = value.map(text);
    const style =
      typeof parameter.style === 'string' ? parameter.style : parameter.in === 'query' ? 'form' : 'simple';
    // Query arrays are repeated parameters unless the document says otherwise (OpenAPI's default).
    const explode = typeof parameter.explode === 'boolean' ? parameter.explode : style === 'form';
    if (parameter.in === 'query' && explode) return items.length ? items : [''];
    const separator = style === 'spaceDelimited' ? ' ' : style === 'pipeDelimited' ? '|' : ',';
    return [items.join(separator)];
  }
  return [text(value)];
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(plainJson(value));
  return String(value);
}

export interface RequestBody {
  /** The JSON body and its media type; null when it has none, or none tokenman writes. */
  json: { mediaType: string; value: unknown } | null;
  /** The media type of a body that is not JSON; '' for none. */
  other: string;
  /** The sampler's words when it could not write the body from the schema. */
  failure?: string;
}

/** The body of an operation: its example, else one sampled from its schema. */
export function requestBody(document: Json, operation: Json): RequestBody {
  const body = asRecord(deref(document, operation.requestBody));
  const content = asRecord(body?.content);
  if (!content) return { json: null, other: '' };
  const types = Object.keys(content);
  // A body of any type (`*/*`, as some generators write) is sent as JSON when it has a schema.
  const jsonType = types.find(isJsonMediaType) ?? types.find((type) => type === '*/*');
  if (jsonType === undefined) return { json: null, other: types[0] ?? '' };
  const mediaType = jsonType === '*/*' ? 'application/json' : jsonType;
  const media = asRecord(content[jsonType]) ?? {};
  let value = media.example ?? firstExample(document, media.examples);
  if (value === undefined) {
    try {
      value = sampled(document, deref(document, media.schema) ?? {}, 'request');
    } catch (error) {
      return {
        json: { mediaType, value: {} },
        other: '',
        failure: error instanceof Error ? error.message : String(error),
      };
    }
  }
  try {
    return { json: { mediaType, value: plainJson(value ?? {}) }, other: '' };
  } catch (error) {
    // A YAML alias that contains itself cannot be written as JSON.
    return {
      json: { mediaType, value: {} },
      other: '',
      failure: error instanceof Error ? error.message : String(error),
    };
  }
}
