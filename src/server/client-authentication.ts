import {
  type AssertionDeps,
  type AssertionFailure,
  type AssertionPolicy,
  verifyClientAssertion,
} from './assertions.js';
import type { Fields } from './body.js';
import {
  type CertificateProblem,
  checkClientCertificate,
  type PresentedCertificate,
} from './client-certificate.js';
import type { DialectDeps, TokenRequest } from './dialects/dialect.js';
import type { IssueContext, IssueOutcome } from './oauth-engine.js';
import { exchangeToken } from './token-exchange.js';
import { TOKEN_EXCHANGE_GRANT } from './types.js';

export type ClientAuthOutcome =
  /** A secret (or none, for a public client): the OAuth engine checks it. */
  | { kind: 'secret' }
  | { kind: 'authenticated'; clientId: string; method: 'jwt' | 'tls_client_auth' }
  | { kind: 'assertion_failed'; failure: AssertionFailure }
  | { kind: 'certificate_failed'; problem: CertificateProblem; clientId: string };

/**
 * Client authentication beyond secrets: a client assertion when the request carries one, else a
 * client certificate when the client registered one and sends no secret (RFC 8705 §2: client_id in
 * the body, the certificate in the handshake).
 */
export async function authenticateClient(
  form: Fields,
  presented: PresentedCertificate | undefined,
  deps: AssertionDeps,
  policy: AssertionPolicy,
): Promise<ClientAuthOutcome> {
  if (form.client_assertion !== undefined || form.client_assertion_type !== undefined) {
    const outcome = await verifyClientAssertion(form, deps, policy);
    return outcome.ok
      ? { kind: 'authenticated', clientId: outcome.assertion.clientId, method: 'jwt' }
      : { kind: 'assertion_failed', failure: outcome.failure };
  }
  const clientId = form.client_id;
  const match = clientId === undefined ? undefined : deps.registry.get(clientId)?.certificate;
  if (clientId === undefined || !match || form.client_secret !== undefined) return { kind: 'secret' };
  const problem = checkClientCertificate(presented, match);
  return problem
    ? { kind: 'certificate_failed', problem, clientId }
    : { kind: 'authenticated', clientId, method: 'tls_client_auth' };
}

/** The form the OAuth engine sees once the client is authenticated: its id, no assertion. */
export function authenticatedForm(form: Fields, clientId: string): Fields {
  const {
    client_assertion: _assertion,
    client_assertion_type: _type,
    client_secret: _secret,
    ...rest
  } = form;
  return { ...rest, client_id: clientId };
}

export type AuthenticatedIssue =
  | { kind: 'refused'; auth: Extract<ClientAuthOutcome, { kind: 'assertion_failed' | 'certificate_failed' }> }
  | { kind: 'engine'; outcome: IssueOutcome };

/** Authenticates the client as above, then lets the OAuth engine run the grant. */
export async function issueWithClientAuthentication(
  form: Fields,
  request: TokenRequest,
  deps: DialectDeps,
  policy: AssertionPolicy,
  context: IssueContext,
): Promise<AuthenticatedIssue> {
  const auth = await authenticateClient(form, request.clientCertificate, deps, policy);
  if (auth.kind === 'assertion_failed' || auth.kind === 'certificate_failed') {
    return { kind: 'refused', auth };
  }
  if (form.grant_type === TOKEN_EXCHANGE_GRANT) {
    const clientId = auth.kind === 'authenticated' ? auth.clientId : form.client_id;
    const known = clientId !== undefined && deps.registry.authenticates(clientId, form.client_secret);
    if (clientId === undefined || (auth.kind === 'secret' && !known)) {
      const failure = {
        reason: 'client',
        error: 'invalid_client',
        description: 'client authentication failed',
      } as const;
      return { kind: 'engine', outcome: { ok: false, failure } };
    }
    return { kind: 'engine', outcome: await exchangeToken(form, clientId, deps, context) };
  }
  const outcome =
    auth.kind === 'authenticated'
      ? await deps.engine.issue(authenticatedForm(form, auth.clientId), {
          ...context,
          authenticated: { clientId: auth.clientId },
        })
      : await deps.engine.issue(form, context);
  return { kind: 'engine', outcome };
}
