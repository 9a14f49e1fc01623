import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { type JWTPayload, SignJWT } from 'jose';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PEM of the public key, as a client registers it. */
  publicPem: string;
}

export function rsaKeyPair(): KeyPair {
  return withPem(generateKeyPairSync('rsa', { modulusLength: 2048 }));
}

export function ecKeyPair(): KeyPair {
  return withPem(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }));
}

function withPem(pair: { privateKey: KeyObject; publicKey: KeyObject }): KeyPair {
  return { ...pair, publicPem: String(pair.publicKey.export({ type: 'spki', format: 'pem' })) };
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** iss = sub = the client, a fresh jti, issued now and valid five minutes, as RFC 7523 §3 asks. */
export function clientClaims(clientId: string, aud: string, overrides: JWTPayload = {}): JWTPayload {
  const now = nowSeconds();
  return { iss: clientId, sub: clientId, aud, iat: now, exp: now + 300, jti: randomUUID(), ...overrides };
}

export function signAssertion(
  key: KeyObject | Uint8Array,
  alg: string,
  claims: JWTPayload,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ ...header, alg, typ: 'JWT' }).sign(key);
}

/** Drops claims a test wants absent (SignJWT keeps whatever the payload holds). */
export function without(claims: JWTPayload, ...names: string[]): JWTPayload {
  const copy = { ...claims };
  for (const name of names) delete copy[name];
  return copy;
}
