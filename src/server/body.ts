import type { IncomingMessage } from 'node:http';
import { type Fields, parseMultipart } from './multipart.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export type { Fields };

export type BodyKind = 'empty' | 'urlencoded' | 'json' | 'multipart' | 'other';

export type ParsedBody =
  | { ok: true; kind: BodyKind; fields: Fields }
  | { ok: false; kind: BodyKind; problem: string };

export type ReadBody = { ok: true; body: Buffer } | { ok: false; tooLarge: true };

/**
 * Reads the whole body, keeping at most `limit` bytes. An oversized body is still drained so the
 * client receives the 413 instead of a reset connection.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
      } else if (!tooLarge) {
        chunks.push(chunk);
      }
    });
    req.on('end', () =>
      resolve(tooLarge ? { ok: false, tooLarge: true } : { ok: true, body: Buffer.concat(chunks) }),
    );
    req.on('error', reject);
  });
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Flattens any supported body into string fields, the only shape OAuth token parameters take. */
export function parseBody(contentType: string | undefined, body: Buffer): ParsedBody {
  const type = mediaType(contentType);
  if (body.length === 0) return { ok: true, kind: 'empty', fields: {} };
  if (type === 'application/x-www-form-urlencoded') {
    return { ok: true, kind: 'urlencoded', fields: firstValues(new URLSearchParams(body.toString('utf8'))) };
  }
  if (type === 'application/json' || type.endsWith('+json')) return parseJson(body);
  if (type === 'multipart/form-data') {
    const parsed = parseMultipart(contentType ?? '', body);
    return parsed.ok
      ? { ok: true, kind: 'multipart', fields: parsed.fields }
      : { ok: false, kind: 'multipart', problem: parsed.problem };
  }
  return { ok: true, kind: 'other', fields: {} };
}

export function firstValues(params: URLSearchParams): Fields {
  const fields: Fields = {};
  for (const [name, value] of params) {
    if (!Object.hasOwn(fields, name)) fields[name] = value;
  }
  return fields;
}

function parseJson(body: Buffer): ParsedBody {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, kind: 'json', problem: 'body is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, kind: 'json', problem: 'JSON body must be an object' };
  }
  const fields: Fields = {};
  for (const [name, field] of Object.entries(value)) {
    if (typeof field === 'string') fields[name] = field;
    else if (typeof field === 'number' || typeof field === 'boolean') fields[name] = String(field);
  }
  return { ok: true, kind: 'json', fields };
}
