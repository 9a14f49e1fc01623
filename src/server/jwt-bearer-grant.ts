import { type AssertionFailure, type AssertionPolicy, verifyGrantAssertion } from './assertions.js';
import type { DialectDeps } from './dialects/dialect.js';
import type { IssueOutcome } from './oauth-engine.js';
import { JWT_BEARER_GRANT } from './types.js';

export type JwtBearerOutcome =
  | { kind: 'refused'; failure: AssertionFailure }
  /** The assertion's client may not use this grant, or its subject is not one of its users. */
  | { kind: 'not_allowed'; clientId: string; reason: 'grant' | 'subject' }
  | { kind: 'engine'; outcome: IssueOutcome; clientId: string; subject: string };

export interface JwtBearerOptions {
  issuer: string;
  /** Salesforce: `sub` must name a user of the connected app. Google: `sub` is optional delegation. */
  subjectMustBeUser: boolean;
  /** Requested scope (Google's `scope` claim); undefined takes the client's registered scopes. */
  scope: string | undefined;
}

/**
 * RFC 7523 §2.1: the assertion is the grant and its `iss` the client, so no other client
 * authentication is asked; the engine then mints the token for that client and subject.
 */
export async function issueForJwtBearer(
  assertion: string,
  deps: DialectDeps,
  policy: AssertionPolicy,
  options: JwtBearerOptions,
): Promise<JwtBearerOutcome> {
  const verified = await verifyGrantAssertion(assertion, deps, policy);
  if (!verified.ok) return { kind: 'refused', failure: verified.failure };
  const { clientId, claims } = verified.assertion;
  const client = deps.registry.get(clientId);
  if (!client?.grants.includes(JWT_BEARER_GRANT)) return { kind: 'not_allowed', clientId, reason: 'grant' };
  const sub = typeof claims.sub === 'string' ? claims.sub : undefined;
  if (options.subjectMustBeUser && !(client.users ?? []).some((user) => user.username === sub)) {
    return { kind: 'not_allowed', clientId, reason: 'subject' };
  }
  const subject = sub ?? clientId;
  const form: Record<string, string> = { grant_type: 'client_credentials', client_id: clientId };
  if (options.scope !== undefined) form.scope = options.scope;
  const outcome = await deps.engine.issue(form, {
    issuer: options.issuer,
    idTokenOnOpenid: false,
    authenticated: { clientId, subject, grantChecked: true },
  });
  return { kind: 'engine', outcome, clientId, subject };
}
