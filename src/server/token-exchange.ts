import type { Fields } from './body.js';
import type { DialectDeps } from './dialects/dialect.js';
import type { EngineFailure, FailureReason, IssueContext, IssueOutcome } from './oauth-engine.js';
import { TOKEN_EXCHANGE_GRANT } from './types.js';

/** RFC 8693 §3. Only access tokens are exchanged, for access tokens. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/**
 * RFC 8693 token exchange for an authenticated client: the subject_token must be a live access
 * token this server issued; the new token belongs to the requesting client and keeps its subject.
 */
export async function exchangeToken(
  form: Fields,
  clientId: string,
  deps: DialectDeps,
  context: IssueContext,
): Promise<IssueOutcome> {
  if (!deps.registry.get(clientId)?.grants.includes(TOKEN_EXCHANGE_GRANT)) {
    return fail('unauthorized_grant', 'unauthorized_client', 'client is not allowed to exchange tokens');
  }
  if (form.subject_token === undefined)
    return fail('request', 'invalid_request', 'subject_token is required');
  if (form.subject_token_type !== ACCESS_TOKEN_TYPE) {
    return fail('request', 'invalid_request', `subject_token_type must be ${ACCESS_TOKEN_TYPE}`);
  }
  if (form.requested_token_type !== undefined && form.requested_token_type !== ACCESS_TOKEN_TYPE) {
    return fail('request', 'invalid_request', `requested_token_type must be ${ACCESS_TOKEN_TYPE}`);
  }
  const inspection = await deps.tokens.inspect(form.subject_token);
  if (!inspection.ok)
    return fail('subject_token', 'invalid_request', `subject_token refused: ${inspection.reason}`);
  if (inspection.kind !== 'access_token') {
    return fail('subject_token', 'invalid_request', 'subject_token is not an access token');
  }
  const exchanged: Fields = { grant_type: 'client_credentials', client_id: clientId };
  if (form.scope !== undefined) exchanged.scope = form.scope;
  const outcome = await deps.engine.issue(exchanged, {
    ...context,
    authenticated: { clientId, subject: inspection.subject, grantChecked: true },
  });
  if (outcome.ok) outcome.tokens.issuedTokenType = ACCESS_TOKEN_TYPE;
  return outcome;
}

function fail(reason: FailureReason, error: string, description: string): IssueOutcome {
  const failure: EngineFailure = { reason, error, description };
  return { ok: false, failure };
}
