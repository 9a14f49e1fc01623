// An OpenAPI schema object as the JSON Schema a validator reads. OpenAPI 3.0 and Swagger 2.0 write
// a few things their own way: `nullable: true` (Swagger's `x-nullable`) for "or null", a boolean
// `exclusiveMinimum` beside `minimum`, and a read-only property that is required only in answers,
// never in what a client sends. Every `$ref` into the document becomes a definition of the schema
// made, so a schema that contains itself (a tree's children) stays a finite one. Inside a value, a
// schema that says only `type: object` is read as any value: .NET's generators (Swashbuckle, NSwag)
// write it for `object`, which holds anything, as in UiPath's `Dictionary<string, object>`.
import { deref, resolvePointer } from '../../spec/api/document-refs.js';
import { LITERAL_REF } from '../../spec/api/literal-refs.js';

type Json = Record<string, unknown>;

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);

/** Keywords whose value is a schema. */
const SCHEMA_KEYWORDS = [
  'items',
  'additionalProperties',
  'not',
  'additionalItems',
  'contains',
  'propertyNames',
];
/** Keywords whose value is a list of schemas. */
const SCHEMA_LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
/** Keywords whose value is a map of schemas. */
const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties'];
/** Keywords that say nothing of a value. */
const ANNOTATIONS = new Set([
  'type',
  'description',
  'title',
  'example',
  'examples',
  'readOnly',
  'writeOnly',
  'deprecated',
  'format',
]);

/** Which way the value goes: a request leaves read-only properties out, an answer write-only ones. */
export type Direction = 'request' | 'answer';

/**
 * The JSON Schema of `schema` (a value of `document`), its `$ref`s as `#/definitions/…`. `openapi30`:
 * the document is OpenAPI 3.0 or Swagger 2.0 (not 3.1, whose schemas are JSON Schema already).
 */
export function jsonSchemaOf(
  document: Json,
  schema: unknown,
  direction: Direction,
  openapi30: boolean,
): Json {
  const definitions: Json = {};
  const names = new Map<string, string>();
  const inProgress = new WeakSet<object>();

  const refTo = (ref: string): Json => {
    let name = names.get(ref);
    if (name === undefined) {
      name = `d${names.size}`;
      names.set(ref, name);
      // Named before it is converted, so a schema that refers to itself refers to its definition.
      definitions[name] = convert(resolvePointer(document, ref) ?? {});
    }
    return { $ref: `#/definitions/${name}` };
  };

  /** `inside`: the schema of a part of the value (a property, an item), not of the value itself. */
  const convert = (value: unknown, inside = true): unknown => {
    if (typeof value === 'boolean') return value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
    const source = value as Json;
    if (typeof source.$ref === 'string' && source.$ref.startsWith('#')) return refTo(source.$ref);
    // A YAML alias that holds itself: the inner one accepts anything rather than never ending.
    if (inProgress.has(source)) return {};
    inProgress.add(source);
    try {
      return convertObject(source, inside);
    } finally {
      inProgress.delete(source);
    }
  };

  const convertObject = (source: Json, inside: boolean): Json => {
    if (
      inside &&
      source.type === 'object' &&
      Object.keys(source).every((key) => ANNOTATIONS.has(key) || key.startsWith('x-'))
    )
      return {};
    const out: Json = {};
    for (const [key, item] of Object.entries(source)) {
      if (key === LITERAL_REF || key.startsWith('x-') || key === 'discriminator' || key === 'xml') continue;
      if (SCHEMA_KEYWORDS.includes(key)) out[key] = convert(item);
      else if (SCHEMA_LIST_KEYWORDS.includes(key) && Array.isArray(item))
        out[key] = item.map((sub) => convert(sub));
      else if (SCHEMA_MAP_KEYWORDS.includes(key) && item && typeof item === 'object')
        out[key] = Object.fromEntries(Object.entries(item).map(([name, sub]) => [name, convert(sub)]));
      else out[key] = item;
    }
    // A type JSON has not (Swagger's `file`) says nothing a JSON value can meet.
    if (typeof out.type === 'string' && !JSON_TYPES.has(out.type)) delete out.type;
    if (Array.isArray(out.type)) out.type = out.type.filter((type) => JSON_TYPES.has(String(type)));
    if (openapi30) {
      for (const [bound, limit] of [
        ['exclusiveMinimum', 'minimum'],
        ['exclusiveMaximum', 'maximum'],
      ] as const) {
        if (out[bound] === true && typeof out[limit] === 'number') {
          out[bound] = out[limit];
          delete out[limit];
        } else if (typeof out[bound] === 'boolean') delete out[bound];
      }
    }
    const skipped = direction === 'request' ? 'readOnly' : 'writeOnly';
    if (Array.isArray(out.required) && out.properties && typeof out.properties === 'object') {
      const properties = source.properties as Json;
      out.required = out.required.filter((name) => {
        const property = derefSchema(document, properties[String(name)]);
        return property?.[skipped] !== true;
      });
    }
    if (source.nullable === true || source['x-nullable'] === true) return orNull(out);
    return out;
  };

  const root = convert(schema, false) as Json;
  // Beside a $ref a keyword may go unread; under allOf the root is read whole.
  return names.size ? { allOf: [root], definitions } : root;
}

/** A schema that also allows null. */
function orNull(schema: Json): Json {
  if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  else if (Array.isArray(schema.type) && !schema.type.includes('null'))
    schema.type = [...schema.type, 'null'];
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  if (schema.type !== undefined) return schema;
  return { anyOf: [schema, { type: 'null' }] };
}

function derefSchema(document: Json, value: unknown): Json | undefined {
  const found = deref(document, value);
  return found && typeof found === 'object' && !Array.isArray(found) ? (found as Json) : undefined;
}
