// Whether a request is one the API document allows: its path parameters, its required query
// parameters and headers there and each value of the type its schema gives, and a JSON body valid
// against the operation's request body schema (Ajv). What is wrong comes back in the document's
// terms: `query parameter "max" must be integer`, `body/email must be string`.
import type { IncomingHttpHeaders } from 'node:http';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { deref } from '../../spec/api/document-refs.js';
import { isJsonMediaType } from '../../spec/api/json-media-type.js';
import type { DocumentOperation } from '../../spec/api/list-operations.js';
import { mediaType } from '../body.js';
import { type Direction, jsonSchemaOf } from './json-schema.js';

type Json = Record<string, unknown>;

/** Headers OpenAPI says a parameter does not describe: the media types and the token. */
const NOT_PARAMETER_HEADERS = new Set(['accept', 'content-type', 'authorization']);

export interface SentRequest {
  /** Each path parameter's value as sent, decoded. */
  pathValues: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Refusal {
  /** 400 for a parameter or body the document refuses, 415 for a media type it has not. */
  status: 400 | 415;
  /** What is wrong, in the document's terms; one entry per fault. */
  faults: string[];
}

/** The faults of a request against its operation, or undefined when the document allows it. */
export function checkRequest(
  document: Json,
  operation: DocumentOperation,
  request: SentRequest,
): Refusal | undefined {
  const validators = validatorsOf(document);
  const faults: string[] = [];
  for (const parameter of operation.parameters) {
    const name = String(parameter.name);
    const place = String(parameter.in);
    if (place === 'cookie') continue;
    if (place === 'header' && NOT_PARAMETER_HEADERS.has(name.toLowerCase())) continue;
    const sent = sentValues(parameter, place, request);
    const what = `${place === 'path' ? 'path parameter' : place === 'query' ? 'query parameter' : 'header'} "${name}"`;
    if (sent === undefined) {
      if (parameter.required === true || place === 'path') faults.push(`${what} is required`);
      continue;
    }
    if (place === 'path' && sent.length === 1 && sent[0] === '') {
      faults.push(`${what} is empty`);
      continue;
    }
    const schema = deref(document, parameter.schema);
    if (schema === undefined) continue;
    const value = isArraySchema(document, schema) ? sent : (sent[0] ?? '');
    const error = validators.parameter(schema, value);
    if (error) faults.push(`${what}${where(error, '')} ${wordsOf(error)}`);
  }
  const body = checkBody(document, operation, request, validators);
  if (body?.status === 415) return body;
  if (body) faults.push(...body.faults);
  return faults.length ? { status: 400, faults } : undefined;
}

/** The values sent for a parameter (several for an array), or undefined when it was not sent. */
function sentValues(parameter: Json, place: string, request: SentRequest): string[] | undefined {
  const name = String(parameter.name);
  if (place === 'path') {
    const value = request.pathValues[name];
    return value === undefined ? undefined : splitArray(parameter, 'simple', value);
  }
  if (place === 'query') {
    const all = request.query.getAll(name);
    if (all.length === 0) return undefined;
    const style = typeof parameter.style === 'string' ? parameter.style : 'form';
    const explode = typeof parameter.explode === 'boolean' ? parameter.explode : style === 'form';
    return explode ? all : splitArray(parameter, style, all[0] ?? '');
  }
  const header = request.headers[name.toLowerCase()];
  if (header === undefined) return undefined;
  return splitArray(parameter, 'simple', Array.isArray(header) ? header.join(',') : header);
}

function splitArray(parameter: Json, fallbackStyle: string, value: string): string[] {
  const style = typeof parameter.style === 'string' ? parameter.style : fallbackStyle;
  const separator = style === 'spaceDelimited' ? ' ' : style === 'pipeDelimited' ? '|' : ',';
  return value.split(separator);
}

function isArraySchema(document: Json, schema: unknown): boolean {
  const type = (deref(document, schema) as Json | undefined)?.type;
  return type === 'array' || (Array.isArray(type) && type.includes('array'));
}

function checkBody(
  document: Json,
  operation: DocumentOperation,
  request: SentRequest,
  validators: Validators,
): Refusal | undefined {
  const declared = deref(document, operation.operation.requestBody) as Json | undefined;
  const content = deref(document, declared?.content) as Json | undefined;
  if (!declared || !content) return undefined;
  if (request.body.length === 0)
    return declared.required === true ? { status: 400, faults: ['a request body is required'] } : undefined;
  const sentType = mediaType(headerText(request.headers['content-type']));
  const types = Object.keys(content);
  const match =
    types.find((type) => mediaType(type) === sentType) ??
    types.find((type) => type.endsWith('/*') && sentType.startsWith(type.slice(0, -1))) ??
    types.find((type) => type === '*/*');
  if (match === undefined)
    return {
      status: 415,
      faults: [
        `Content-Type ${sentType ? `"${sentType}"` : '(none)'} is not one the operation takes: ${types.join(', ')}`,
      ],
    };
  if (!isJsonMediaType(match) && !(match === '*/*' && isJsonMediaType(sentType))) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(request.body.toString('utf8'));
  } catch {
    return { status: 400, faults: ['body is not JSON'] };
  }
  const schema = (deref(document, content[match]) as Json | undefined)?.schema;
  if (schema === undefined) return undefined;
  const errors = validators.body(schema, value);
  return errors.length
    ? {
        status: 400,
        faults: errors.map((error) => `body${where(error, '')} ${wordsOf(error)}`),
      }
    : undefined;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Ajv's words for a fault, a list of types said as one: `must be string or null`. */
function wordsOf(error: ErrorObject): string {
  const types = (error.params as { type?: unknown }).type;
  // Ajv gives several types as one text, `string,null`.
  if (error.keyword === 'type' && types !== undefined)
    return `must be ${String(types).split(',').join(' or ')}`;
  return error.message ?? 'is not valid';
}

/** Where in the value an error is: `/items/0/name`, '' for the value itself. */
function where(error: ErrorObject, prefix: string): string {
  const path = error.instancePath.replace(/^\/v(?=\/|$)/, '');
  return path ? `${prefix}${path}` : '';
}

interface Validators {
  /** The first fault of a parameter's value (strings read as the schema's type), or undefined. */
  parameter(schema: unknown, value: string | string[]): ErrorObject | undefined;
  /** The faults of a body (at most a few). */
  body(schema: unknown, value: unknown): ErrorObject[];
}

const validatorsByDocument = new WeakMap<object, Validators>();

/**
 * The validators of one document, each schema compiled once: parameters with their text read as
 * the schema's type (`"10"` is an integer), bodies as sent. A schema Ajv cannot compile checks
 * nothing: the server stands in for the vendor, and a vendor's document with a schema its own
 * validators would refuse is still the vendor's.
 */
function validatorsOf(document: Json): Validators {
  const kept = validatorsByDocument.get(document);
  if (kept) return kept;
  const openapi30 = !/^3\.1/.test(String(document.openapi ?? ''));
  const make = (coerce: boolean) => {
    const options = {
      strict: false,
      validateFormats: false,
      validateSchema: false,
      allErrors: !coerce,
      ...(coerce ? { coerceTypes: 'array' as const } : {}),
    };
    return openapi30 ? new Ajv(options) : new Ajv2020(options);
  };
  const forParameters = make(true);
  const forBodies = make(false);
  const compiled = new Map<string, WeakMap<object, ValidateFunction | null>>();
  const compile = (ajv: Ajv, key: string, schema: unknown, wrap: boolean, direction: Direction) => {
    if (schema === null || typeof schema !== 'object') return null;
    let cache = compiled.get(key);
    if (!cache) {
      cache = new WeakMap();
      compiled.set(key, cache);
    }
    if (cache.has(schema)) return cache.get(schema) ?? null;
    let validate: ValidateFunction | null = null;
    try {
      const converted = jsonSchemaOf(document, schema, direction, openapi30);
      // Wrapped, so a coerced value has a place to be written back to.
      const { definitions, ...rest } = converted;
      validate = ajv.compile(
        wrap
          ? { type: 'object', properties: { v: rest }, ...(definitions ? { definitions } : {}) }
          : converted,
      );
    } catch {
      validate = null;
    }
    cache.set(schema, validate);
    return validate;
  };
  const validators: Validators = {
    parameter(schema, value) {
      const validate = compile(forParameters as Ajv, 'parameter', schema, true, 'request');
      if (!validate || validate({ v: value })) return undefined;
      return validate.errors?.[0];
    },
    body(schema, value) {
      const validate = compile(forBodies as Ajv, 'body', schema, false, 'request');
      if (!validate || validate(value)) return [];
      return (validate.errors ?? []).slice(0, 3);
    },
  };
  validatorsByDocument.set(document, validators);
  return validators;
}
