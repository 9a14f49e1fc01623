import { randomUUID } from 'node:crypto';
import { type JwtKeys, signJwt, verifyJwtSignature } from './jwt.js';
import type { TokenKind } from './types.js';

/** Private claim telling access tokens from id tokens, which otherwise look alike. */
export const KIND_CLAIM = 'token_kind';

export interface MintRequest {
  kind: TokenKind;
  issuer: string;
  clientId: string;
  subject: string;
  scope?: string[];
  lifetimeSeconds: number;
}

export interface Minted {
  token: string;
  jti: string;
}

export type Inspection =
  | { ok: true; clientId: string; kind: TokenKind; subject: string }
  | { ok: false; reason: string; clientId?: string };

interface IssuedRecord {
  clientId: string;
  kind: TokenKind;
  expiresAtMs: number;
}

/** Signs tokens and remembers them, so only tokens this server issued and still live are accepted. */
export class IssuedTokens {
  readonly #keys: JwtKeys;
  readonly #issued = new Map<string, IssuedRecord>();

  constructor(keys: JwtKeys) {
    this.#keys = keys;
  }

  async mint(request: MintRequest): Promise<Minted> {
    const nowMs = Date.now();
    // The server judges expiry to the millisecond, since a whole-second check would let a 1 s token
    // issued at x.999 die at once. The `exp` claim rounds down, so clients that read it refetch no later
    // than the server starts refusing.
    const expiresAtMs = nowMs + request.lifetimeSeconds * 1000;
    const jti = randomUUID();
    const claims: Record<string, unknown> = {
      iss: request.issuer,
      sub: request.subject,
      aud: request.clientId,
      azp: request.clientId,
      iat: Math.floor(nowMs / 1000),
      exp: Math.floor(expiresAtMs / 1000),
      jti,
      [KIND_CLAIM]: request.kind,
    };
    if (request.kind === 'access_token') {
      claims.client_id = request.clientId;
      claims.scope = (request.scope ?? []).join(' ');
    }
    const token = await signJwt(this.#keys, claims);
    this.#issued.set(jti, { clientId: request.clientId, kind: request.kind, expiresAtMs });
    return { token, jti };
  }

  async inspect(token: string): Promise<Inspection> {
    let claims: Record<string, unknown>;
    try {
      claims = await verifyJwtSignature(this.#keys, token);
    } catch {
      return { ok: false, reason: 'token signature is invalid or the token is malformed' };
    }
    const record = typeof claims.jti === 'string' ? this.#issued.get(claims.jti) : undefined;
    if (!record) return { ok: false, reason: 'token was not issued by this server' };
    if (claims[KIND_CLAIM] !== record.kind || claims.aud !== record.clientId) {
      return { ok: false, reason: 'token claims do not match the issued token', clientId: record.clientId };
    }
    if (Date.now() >= record.expiresAtMs) {
      return { ok: false, reason: 'token has expired', clientId: record.clientId };
    }
    return { ok: true, clientId: record.clientId, kind: record.kind, subject: String(claims.sub) };
  }
}
