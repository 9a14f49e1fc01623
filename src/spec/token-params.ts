// What a token request of the spec sends: its grant's parameters, in the order the vendors document
// them, as templates. The spec's own checks (a secret sent in a GET query) and the plan (every
// client's token request) both read this, so the list lives here, below both.
import {
  type AssertionDef,
  CLIENT_ASSERTION_TYPE,
  JWT_BEARER_GRANT,
  TOKEN_EXCHANGE_GRANT,
  type TokenRequestDef,
} from './types.js';

export type Pair = [name: string, template: string];

/**
 * What a request shows where the script puts the assertion it signs as the request goes out: no
 * variable holds it, so nothing signed is ever stored.
 */
export const SIGNED_AT_SEND_TIME = '<signed by the collection script when sent>';

/** The fields of a token request its parameters are made of. */
export type TokenParamFields = Pick<
  TokenRequestDef,
  | 'grant'
  | 'clientAuth'
  | 'clientId'
  | 'clientSecret'
  | 'username'
  | 'password'
  | 'refreshToken'
  | 'assertion'
  | 'subjectToken'
  | 'subjectTokenType'
  | 'apiKey'
  | 'scope'
  | 'params'
>;

/** Whether the client authenticates with an assertion (RFC 7523 section 2.2). */
export function isAssertionClientAuth(clientAuth: TokenRequestDef['clientAuth']): boolean {
  return clientAuth === 'client_secret_jwt' || clientAuth === 'private_key_jwt';
}

/** The template a request shows for the assertion: the variable holding one, or what the script signs. */
function assertionValue(assertion: AssertionDef | null): string {
  return assertion?.source === 'variable' ? assertion.value : SIGNED_AT_SEND_TIME;
}

/** The parameters of a grant, in the order the vendors document them. */
export function grantParams(token: TokenParamFields): Pair[] {
  const params: Pair[] = [['grant_type', token.grant]];
  if (token.grant === 'password') params.push(['username', token.username], ['password', token.password]);
  if (token.grant === 'refresh_token') params.push(['refresh_token', token.refreshToken]);
  if (token.grant === JWT_BEARER_GRANT) params.push(['assertion', assertionValue(token.assertion)]);
  if (token.grant === TOKEN_EXCHANGE_GRANT)
    params.push(['subject_token', token.subjectToken], ['subject_token_type', token.subjectTokenType]);
  if (token.grant === 'api_key') params.push(['api_key', token.apiKey]);
  // A JWT-bearer grant names its client inside the assertion (Google, Salesforce): client_id only if given.
  const clientIdOptional = token.grant === JWT_BEARER_GRANT && token.clientId === '';
  if (token.clientAuth !== 'basic' && !clientIdOptional) params.push(['client_id', token.clientId]);
  if (token.clientAuth === 'body') params.push(['client_secret', token.clientSecret]);
  if (isAssertionClientAuth(token.clientAuth)) {
    params.push(
      ['client_assertion_type', CLIENT_ASSERTION_TYPE],
      ['client_assertion', assertionValue(token.assertion)],
    );
  }
  if (token.scope) params.push(['scope', token.scope]);
  return [...params, ...token.params];
}
