import { randomUUID } from 'node:crypto';
import type { CryptoKey, JWTPayload } from 'jose';
import { compactVerify, generateKeyPair, SignJWT } from 'jose';

export interface JwtKeys {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

// ES256 rather than RS256: an RSA key pair took about 0.4 s of every server start (every
// `tokenman verify --local`); a P-256 pair takes a millisecond, and the tokens are as real.
const ALG = 'ES256';

/** A fresh key per server start, so tokens from an earlier run can never validate. */
export async function createJwtKeys(): Promise<JwtKeys> {
  const { privateKey, publicKey } = await generateKeyPair(ALG);
  return { kid: randomUUID(), privateKey, publicKey };
}

export function signJwt(keys: JwtKeys, claims: JWTPayload): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALG, typ: 'JWT', kid: keys.kid })
    .sign(keys.privateKey);
}

/**
 * Checks the signature only; claims are judged by the caller, which needs the payload of a
 * well-signed but expired token to know whose call it rejected.
 */
export async function verifyJwtSignature(keys: JwtKeys, token: string): Promise<JWTPayload> {
  const { payload } = await compactVerify(token, keys.publicKey, { algorithms: [ALG] });
  const claims: unknown = JSON.parse(new TextDecoder().decode(payload));
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new TypeError('JWT payload is not a JSON object');
  }
  return claims as JWTPayload;
}
