import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createContext, runInContext } from 'node:vm';

/** The bundles scripts/build-signer.mjs writes, by algorithm family. */
export const SIGNER_FAMILIES = ['rsa', 'ec', 'hmac'] as const;
export type SignerFamily = (typeof SIGNER_FAMILIES)[number];

/** What tokenmanSignJwt takes (src/sandbox/signer/sign-jwt.js). */
export interface SignOptions {
  alg: string;
  key: unknown;
  claims: Record<string, unknown>;
  header?: Record<string, unknown>;
  certificate?: string;
  thumbprints?: string[];
  now?: number;
  times?: Record<string, number>;
  jti?: boolean;
}
export type SignJwt = (options: SignOptions) => string;

export function bundleFile(family: SignerFamily): URL {
  return new URL(`../../../src/sandbox/signer/${family}.bundle.js`, import.meta.url);
}

export function bundleText(family: SignerFamily): string {
  return readFileSync(bundleFile(family), 'utf8');
}

/**
 * The committed bundle evaluated in a fresh vm context: like Newman's sandbox it has only the
 * language's built-ins (no crypto, TextEncoder, Buffer or atob) unless `globals` adds some.
 */
export function loadSigner(family: SignerFamily, globals: Record<string, unknown> = {}): SignJwt {
  const context = createContext({ ...globals });
  runInContext(bundleText(family), context);
  return context.tokenmanSignJwt as SignJwt;
}

export interface RsaKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  pkcs8: string;
  pkcs1: string;
}

export function rsaKey(modulusLength = 2048): RsaKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength });
  return {
    privateKey,
    publicKey,
    pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    pkcs1: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  };
}

export interface EcKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  pkcs8: string;
  sec1: string;
}

export function ecKey(namedCurve = 'P-256'): EcKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
  return {
    privateKey,
    publicKey,
    pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    sec1: privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
  };
}

/** A PEM as users paste it into a Postman variable or copy it out of a JSON key file. */
export function pastedForms(pem: string): Record<string, string> {
  const lines = pem.trim().split('\n');
  return {
    'literal \\n (JSON key file)': lines.join('\\n'),
    'literal \\r\\n': lines.join('\\r\\n'),
    'spaces instead of line breaks': lines.join(' '),
    'CRLF line breaks': lines.join('\r\n'),
    'no separators, padded with blanks': `  ${lines.join('')}\n\n`,
  };
}

/** A self-signed certificate (its private key is not needed by any test). */
export async function certificatePem(): Promise<string> {
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'tokenman signer test' }], {
    keySize: 2048,
    algorithm: 'sha256',
  });
  return pems.cert;
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

export function decodeJwt(jwt: string): DecodedJwt {
  const [header = '', claims = '', signature = '', ...rest] = jwt.split('.');
  if (rest.length > 0 || signature === '') throw new Error('not a compact JWS');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    claims: JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')),
    signingInput: `${header}.${claims}`,
    signature: Buffer.from(signature, 'base64url'),
  };
}

/** X509Certificate fingerprints ("AB:CD:…" hex) as JOSE thumbprints (base64url of the digest). */
export function fingerprintToThumbprint(fingerprint: string): string {
  return Buffer.from(fingerprint.replaceAll(':', ''), 'hex').toString('base64url');
}

/**
 * Every 12-character run of the key's base64 body: an error message that contains one of them
 * quotes key material (12 base64 characters are 9 bytes, far beyond chance).
 */
export function keyFragments(pem: string): string[] {
  const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  const fragments: string[] = [];
  for (let i = 0; i + 12 <= body.length; i++) fragments.push(body.slice(i, i + 12));
  return fragments;
}
