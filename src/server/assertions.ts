import { createHash, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import {
  compactVerify,
  decodeJwt,
  decodeProtectedHeader,
  type JWSHeaderParameters,
  type JWTPayload,
} from 'jose';
import { CLIENT_ASSERTION_TYPE } from '../spec/types.js';
import type { ReplayGuard } from './assertion-replay.js';
import type { Fields } from './body.js';
import type { ClientRegistry } from './client-registry.js';
import type { ServerClock } from './clock.js';
import type { ClientKey, ClientRegistration } from './types.js';

export { CLIENT_ASSERTION_TYPE };

const ASYMMETRIC = ['RS256', 'PS256', 'ES256'];
const SYMMETRIC = ['HS256'];

/** Why an assertion was refused; each dialect words these as its vendor does. */
export type AssertionProblem =
  | 'malformed'
  | 'assertion_type'
  | 'missing_subject'
  | 'unknown_client'
  | 'issuer_subject'
  | 'client_id_mismatch'
  | 'algorithm'
  | 'key_not_found'
  | 'signature'
  | 'audience'
  | 'missing_exp'
  | 'expired'
  | 'not_yet_valid'
  | 'missing_iat'
  | 'issued_in_future'
  | 'too_old'
  | 'lifetime_too_long'
  | 'missing_jti'
  | 'replayed';

export interface AssertionFailure {
  problem: AssertionProblem;
  /** Names the claim and values, for vendors whose messages do. */
  detail: string;
  /** The client the assertion claims to be, when known: stats and vendor messages name it. */
  clientId?: string;
}

/** One vendor's rules for the assertions it accepts. */
export interface AssertionPolicy {
  /** Accepted `aud` values: the token endpoint URL, the issuer, … as the vendor documents. */
  audiences: string[];
  /** The vendor's algorithms; a client's own list narrows them further. */
  algorithms: string[];
  /** Clock skew tolerated on exp, nbf and iat. */
  leewaySeconds: number;
  /** Longest `exp` − `iat` (or `exp` − now without iat). */
  maxLifetimeSeconds: number;
  /** Oldest `iat` accepted (Keycloak's "Max expiration"), if the vendor limits it. */
  maxAgeSeconds?: number;
  requireJti: boolean;
  requireIat?: boolean;
  /**
   * The header must name the key: Okta wants its `kid`, Entra the certificate's `x5t#S256` (or
   * `x5t`). Without it, every registered key is tried.
   */
  keyHint?: 'kid' | 'x5t';
  /** Refuse a jti seen before (default true); Google and Salesforce document no jti at all. */
  checkReplay?: boolean;
}

export interface VerifiedAssertion {
  clientId: string;
  header: JWSHeaderParameters;
  claims: JWTPayload;
}

export type AssertionOutcome =
  | { ok: true; assertion: VerifiedAssertion }
  | { ok: false; failure: AssertionFailure };

export interface AssertionDeps {
  registry: ClientRegistry;
  clock: ServerClock;
  replay: ReplayGuard;
}

/**
 * RFC 7523 §2.2 / OpenID Connect private_key_jwt and client_secret_jwt: `iss` = `sub` = the client,
 * signed with a registered key (or the client secret for HS256).
 */
export async function verifyClientAssertion(
  form: Fields,
  deps: AssertionDeps,
  policy: AssertionPolicy,
): Promise<AssertionOutcome> {
  if (form.client_assertion_type !== CLIENT_ASSERTION_TYPE) {
    return fail('assertion_type', `client_assertion_type must be ${CLIENT_ASSERTION_TYPE}`, form.client_id);
  }
  const decoded = decode(form.client_assertion ?? '');
  if (!decoded) return fail('malformed', 'client_assertion is not a signed JWT', form.client_id);
  const { claims } = decoded;
  const subject = typeof claims.sub === 'string' ? claims.sub : undefined;
  if (!subject) return fail('missing_subject', 'the sub claim is required', form.client_id);
  if (claims.iss !== subject)
    return fail('issuer_subject', 'iss and sub must both be the client id', subject);
  if (form.client_id !== undefined && form.client_id !== subject) {
    return fail(
      'client_id_mismatch',
      `client_id ${form.client_id} differs from the assertion's sub ${subject}`,
      subject,
    );
  }
  const client = deps.registry.get(subject);
  if (!client) return fail('unknown_client', `no client ${subject}`, subject);
  return verifySigned(form.client_assertion ?? '', decoded, client, deps, policy);
}

/** RFC 7523 §2.1 JWT-bearer grant: `iss` names the registered client (service account, consumer key). */
export async function verifyGrantAssertion(
  assertion: string,
  deps: AssertionDeps,
  policy: AssertionPolicy,
): Promise<AssertionOutcome> {
  const decoded = decode(assertion);
  if (!decoded) return fail('malformed', 'assertion is not a signed JWT');
  const issuer = typeof decoded.claims.iss === 'string' ? decoded.claims.iss : undefined;
  const client = issuer === undefined ? undefined : deps.registry.get(issuer);
  if (!client || issuer === undefined)
    return fail('unknown_client', `no client ${issuer ?? '(no iss)'}`, issuer);
  return verifySigned(assertion, decoded, client, deps, policy);
}

/** The client an assertion claims to be, unverified: for counting calls and routing faults only. */
export function claimedClient(form: Fields): string | undefined {
  const token = form.client_assertion ?? form.assertion;
  const claims = token === undefined ? undefined : decode(token)?.claims;
  const claimed = form.client_assertion !== undefined ? claims?.sub : claims?.iss;
  return typeof claimed === 'string' ? claimed : undefined;
}

interface Decoded {
  header: JWSHeaderParameters;
  claims: JWTPayload;
}

function decode(token: string): Decoded | undefined {
  try {
    return { header: decodeProtectedHeader(token) as JWSHeaderParameters, claims: decodeJwt(token) };
  } catch {
    return undefined;
  }
}

async function verifySigned(
  token: string,
  { header, claims }: Decoded,
  client: ClientRegistration,
  deps: AssertionDeps,
  policy: AssertionPolicy,
): Promise<AssertionOutcome> {
  const clientId = client.clientId;
  const alg = String(header.alg ?? '');
  const secrets = deps.registry.secretsOf(clientId);
  if (!allowedAlgorithms(client, secrets, policy).includes(alg)) {
    return fail('algorithm', `algorithm ${alg || '(none)'} is not allowed for ${clientId}`, clientId);
  }
  const keys = SYMMETRIC.includes(alg) ? secretKeys(secrets) : selectKeys(client, header, policy.keyHint);
  if (keys.length === 0)
    return fail('key_not_found', 'no registered key matches the assertion header', clientId);
  if (!(await verifiesWithAny(token, keys, alg))) {
    return fail('signature', 'the signature does not verify with the registered key', clientId);
  }

  const audiences = typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? []);
  if (!audiences.some((aud) => policy.audiences.includes(aud))) {
    return fail('audience', `aud must be ${policy.audiences.join(' or ')}`, clientId);
  }
  const now = deps.clock.nowSeconds();
  const leeway = policy.leewaySeconds;
  const { exp, nbf, iat } = claims;
  if (typeof exp !== 'number') return fail('missing_exp', 'the exp claim is required', clientId);
  if (now > exp + leeway) return fail('expired', `expired at ${isoTime(exp)}`, clientId);
  if (typeof nbf === 'number' && nbf > now + leeway) {
    return fail('not_yet_valid', `not valid before ${isoTime(nbf)}`, clientId);
  }
  if (typeof iat !== 'number' && policy.requireIat)
    return fail('missing_iat', 'the iat claim is required', clientId);
  if (typeof iat === 'number' && iat > now + leeway) {
    return fail('issued_in_future', `issued in the future (${isoTime(iat)})`, clientId);
  }
  const start = typeof iat === 'number' ? iat : now;
  if (exp - start > policy.maxLifetimeSeconds) {
    return fail('lifetime_too_long', `exp is more than ${policy.maxLifetimeSeconds} s after iat`, clientId);
  }
  if (policy.maxAgeSeconds !== undefined && typeof iat === 'number' && now > iat + policy.maxAgeSeconds) {
    return fail('too_old', `issued more than ${policy.maxAgeSeconds} s ago`, clientId);
  }
  if (typeof claims.jti !== 'string' || claims.jti === '') {
    if (policy.requireJti) return fail('missing_jti', 'the jti claim is required', clientId);
  } else if (
    policy.checkReplay !== false &&
    !deps.replay.firstUse(clientId, claims.jti, (exp + leeway) * 1000, deps.clock.nowMs())
  ) {
    return fail('replayed', `jti ${claims.jti} was already used`, clientId);
  }
  return { ok: true, assertion: { clientId, header, claims } };
}

function allowedAlgorithms(client: ClientRegistration, secrets: string[], policy: AssertionPolicy): string[] {
  const own = client.assertionAlgorithms ?? [
    ...((client.publicKeys ?? []).length > 0 ? ASYMMETRIC : []),
    ...(secrets.length > 0 ? SYMMETRIC : []),
  ];
  return own.filter((alg) => policy.algorithms.includes(alg));
}

interface CandidateKey {
  key: KeyObject | Uint8Array;
  kid?: string;
  x5t?: string;
  x5tS256?: string;
}

/** client_secret_jwt: each of the client's secrets is an HMAC key the assertion may be signed with. */
function secretKeys(secrets: string[]): CandidateKey[] {
  return secrets.map((secret) => ({ key: new TextEncoder().encode(secret) }));
}

/**
 * `kid` picks the key when the header names one (Okta, Google); `x5t#S256` or `x5t` pick the
 * certificate (Entra); otherwise every registered key is tried.
 */
function selectKeys(
  client: ClientRegistration,
  header: JWSHeaderParameters,
  hint: AssertionPolicy['keyHint'],
): CandidateKey[] {
  const s256 = header['x5t#S256'];
  if (hint === 'kid' && typeof header.kid !== 'string') return [];
  if (hint === 'x5t' && typeof s256 !== 'string' && typeof header.x5t !== 'string') return [];
  const keys = (client.publicKeys ?? []).flatMap((entry) => {
    const candidate = toCandidate(entry);
    return candidate ? [candidate] : [];
  });
  if (typeof header.kid === 'string' && hint !== 'x5t') return keys.filter((key) => key.kid === header.kid);
  if (typeof s256 === 'string') return keys.filter((key) => key.x5tS256 === s256);
  if (typeof header.x5t === 'string') return keys.filter((key) => key.x5t === header.x5t);
  return keys;
}

function toCandidate(entry: ClientKey): CandidateKey | undefined {
  try {
    const base = entry.kid === undefined ? {} : { kid: entry.kid };
    if (typeof entry.key !== 'string') {
      const x5c = (entry.key as { x5c?: unknown }).x5c;
      const first = Array.isArray(x5c) && typeof x5c[0] === 'string' ? x5c[0] : undefined;
      const thumbprints = first ? certificateThumbprints(Buffer.from(first, 'base64')) : {};
      const kid = entry.kid ?? entry.key.kid;
      return {
        key: createPublicKey({ key: entry.key, format: 'jwk' }),
        ...thumbprints,
        ...(kid === undefined ? {} : { kid: String(kid) }),
      };
    }
    if (entry.key.includes('CERTIFICATE')) {
      const certificate = new X509Certificate(entry.key);
      return { key: certificate.publicKey, ...certificateThumbprints(certificate.raw), ...base };
    }
    return { key: createPublicKey(entry.key), ...base };
  } catch {
    // A key that cannot be read verifies nothing; registering it is the caller's mistake to see in tests.
    return undefined;
  }
}

function certificateThumbprints(der: Buffer): { x5t: string; x5tS256: string } {
  return {
    x5t: createHash('sha1').update(der).digest('base64url'),
    x5tS256: createHash('sha256').update(der).digest('base64url'),
  };
}

async function verifiesWithAny(token: string, keys: CandidateKey[], alg: string): Promise<boolean> {
  for (const candidate of keys) {
    try {
      await compactVerify(token, candidate.key, { algorithms: [alg] });
      return true;
    } catch {
      // A key of the wrong type or a bad signature: try the next key.
    }
  }
  return false;
}

function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

function fail(problem: AssertionProblem, detail: string, clientId?: string): AssertionOutcome {
  return { ok: false, failure: clientId === undefined ? { problem, detail } : { problem, detail, clientId } };
}
