// Swagger 2.0 in the shape of OpenAPI 3, as far as a request needs: the server from host, basePath
// and schemes; each parameter's type as its schema; the body parameter as the request body, and
// form parameters as a form body. Responses and definitions stay where they are: `$ref`s into
// `#/definitions` still resolve, and only a response's status is read.
import { resolvePointer } from './document-refs.js';
import { isJsonMediaType } from './json-media-type.js';

type Json = Record<string, unknown>;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

/** Keys of a 2.0 non-body parameter that describe its value: they become its schema. */
const SCHEMA_KEYS = [
  'type',
  'format',
  'items',
  'enum',
  'default',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'multipleOf',
];

/** How 2.0 sent an array in the query, as OpenAPI 3 says it. */
const COLLECTION_STYLE: Record<string, { style: string; explode: boolean }> = {
  csv: { style: 'form', explode: false },
  ssv: { style: 'spaceDelimited', explode: false },
  pipes: { style: 'pipeDelimited', explode: false },
  multi: { style: 'form', explode: true },
};

export function isSwagger2(document: Json): boolean {
  return document.swagger !== undefined;
}

/** Rewrites a Swagger 2.0 document in place into the OpenAPI 3 shape the rest of the stage reads. */
export function convertSwagger2(document: Json): void {
  const host = typeof document.host === 'string' ? document.host : '';
  const basePath = typeof document.basePath === 'string' ? document.basePath : '';
  const schemes = Array.isArray(document.schemes)
    ? document.schemes.filter((s) => typeof s === 'string')
    : [];
  const scheme = schemes.includes('https') ? 'https' : (schemes[0] ?? 'https');
  document.servers = [{ url: host ? `${scheme}://${host}${basePath}` : basePath || '/' }];
  const consumes = mediaTypes(document.consumes);
  const paths = asRecord(document.paths);
  for (const item of Object.values(paths ?? {})) {
    const pathItem = asRecord(item);
    if (!pathItem) continue;
    // Path-level parameters stay beside the operations', which override them by name and place.
    const shared = convertParameters(document, pathItem.parameters);
    pathItem.parameters = shared.parameters;
    for (const method of HTTP_METHODS) {
      const operation = asRecord(pathItem[method]);
      if (!operation) continue;
      const own = convertParameters(document, operation.parameters);
      operation.parameters = own.parameters;
      const media = mediaTypes(operation.consumes) ?? consumes;
      const body = own.body ?? shared.body;
      const form = own.form.length ? own.form : shared.form;
      if (body) operation.requestBody = requestBody(body, media);
      else if (form.length) operation.requestBody = formBody(form, media);
    }
  }
}

function convertParameters(
  document: Json,
  list: unknown,
): { parameters: Json[]; body: Json | undefined; form: Json[] } {
  const parameters: Json[] = [];
  const form: Json[] = [];
  let body: Json | undefined;
  for (const entry of Array.isArray(list) ? list : []) {
    const parameter = asRecord(derefOnce(document, entry));
    if (!parameter) continue;
    if (parameter.in === 'body') body = parameter;
    else if (parameter.in === 'formData') form.push(parameter);
    else parameters.push(convertParameter(parameter));
  }
  return { parameters, body, form };
}

function convertParameter(parameter: Json): Json {
  const schema: Json = {};
  for (const key of SCHEMA_KEYS) if (parameter[key] !== undefined) schema[key] = parameter[key];
  const converted: Json = {
    name: parameter.name,
    in: parameter.in,
    ...(parameter.required !== undefined ? { required: parameter.required } : {}),
    ...(parameter.description !== undefined ? { description: parameter.description } : {}),
    schema,
  };
  if (parameter['x-example'] !== undefined) converted.example = parameter['x-example'];
  const style =
    COLLECTION_STYLE[typeof parameter.collectionFormat === 'string' ? parameter.collectionFormat : 'csv'];
  if (schema.type === 'array' && style) Object.assign(converted, style);
  return converted;
}

function requestBody(body: Json, media: string[] | undefined): Json {
  const mediaType = media?.find(isJsonMediaType) ?? media?.[0] ?? 'application/json';
  const content: Json = { schema: body.schema ?? {} };
  if (body['x-example'] !== undefined) content.example = body['x-example'];
  else if (asRecord(body['x-examples'])) {
    const first = Object.values(asRecord(body['x-examples']) ?? {})[0];
    if (first !== undefined) content.example = first;
  }
  return {
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.required !== undefined ? { required: body.required } : {}),
    content: { [mediaType]: content },
  };
}

function formBody(form: Json[], media: string[] | undefined): Json {
  const mediaType =
    media?.find((type) => /multipart\/form-data|x-www-form-urlencoded/.test(type)) ??
    'application/x-www-form-urlencoded';
  const properties: Json = {};
  const required: string[] = [];
  for (const field of form) {
    if (typeof field.name !== 'string') continue;
    properties[field.name] = convertParameter(field).schema;
    if (field.required === true) required.push(field.name);
  }
  return {
    content: {
      [mediaType]: { schema: { type: 'object', properties, ...(required.length ? { required } : {}) } },
    },
  };
}

function mediaTypes(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.length ? value.filter((type) => typeof type === 'string') : undefined;
}

function derefOnce(document: Json, value: unknown): unknown {
  const ref = asRecord(value)?.$ref;
  return typeof ref === 'string' && ref.startsWith('#') ? resolvePointer(document, ref) : value;
}

function asRecord(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}
