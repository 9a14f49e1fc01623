import type { TokenRequestDef } from '../spec/types.js';

/**
 * The parameters of a grant, in the order the vendors document them: what the visible "Get token"
 * request and the generated curl/HTTPie docs send. The script builds the same list at run time
 * (tokenmanGrantParams); test/generate/token-request-matches-script.test.ts keeps the two in step.
 */
export function grantParams(token: TokenRequestDef): Array<[string, string]> {
  const params: Array<[string, string]> = [['grant_type', token.grant]];
  if (token.grant === 'password') params.push(['username', token.username], ['password', token.password]);
  if (token.grant === 'refresh_token') params.push(['refresh_token', token.refreshToken]);
  if (token.clientAuth !== 'basic') params.push(['client_id', token.clientId]);
  if (token.clientAuth === 'body') params.push(['client_secret', token.clientSecret]);
  if (token.scope) params.push(['scope', token.scope]);
  return [...params, ...token.params];
}

/** `Accept: application/json` unless the spec sends an Accept of its own, then the spec's headers. */
export function acceptAndOwnHeaders(token: TokenRequestDef): Array<[string, string]> {
  const ownAccept = token.headers.some(([key]) => key.toLowerCase() === 'accept');
  return ownAccept ? [...token.headers] : [['Accept', 'application/json'], ...token.headers];
}

/** The headers of a token request: Accept, the spec's own, and the content type of its encoding. */
export function tokenRequestHeaders(token: TokenRequestDef): Array<[string, string]> {
  const headers = acceptAndOwnHeaders(token);
  if (token.encoding === 'json') headers.push(['Content-Type', 'application/json']);
  if (token.encoding === 'urlencoded') headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
  return headers;
}
