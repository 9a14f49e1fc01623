import { PRIVATE_KEY_ALGS } from '../spec/check-credentials.js';
import type { JwtAlgorithm } from '../spec/types.js';

// A pasted assertion is a JWT someone signed once; the spec signs a new one each time. Only its
// header (base64url JSON, read without verifying anything) says how: alg, kid and whether a
// certificate thumbprint goes along. The payload and the signature are never decoded.

export interface JwtHeader {
  alg?: JwtAlgorithm;
  kid?: string;
  /** The header names a certificate by its thumbprint: x5t#S256 or x5t. */
  thumbprint?: 'x5t#S256' | 'x5t';
}

const COMPACT_JWT = /^([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** The header of a compact JWT, or undefined when the value is not one (a placeholder, say). */
export function readJwtHeader(value: string): JwtHeader | undefined {
  const header = COMPACT_JWT.exec(value.trim())?.[1];
  if (!header) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const fields = parsed as Record<string, unknown>;
  const read: JwtHeader = {};
  const { alg, kid } = fields;
  if (typeof alg === 'string' && (PRIVATE_KEY_ALGS.includes(alg) || alg === 'HS256')) {
    read.alg = alg as JwtAlgorithm;
  }
  // A key id is a public name for a registered key; one that could be anything else is not kept.
  if (typeof kid === 'string' && /^[A-Za-z0-9._:/+=-]{1,200}$/.test(kid)) read.kid = kid;
  if (typeof fields['x5t#S256'] === 'string') read.thumbprint = 'x5t#S256';
  else if (typeof fields.x5t === 'string') read.thumbprint = 'x5t';
  return read;
}
