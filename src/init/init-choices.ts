// What `tokenman init` offers to choose: the grants, client authentications and encodings it
// writes a spec for. Kept apart from the inference, so the CLI can list them without loading it.
import type { TokenRequest } from '../spec/spec-input.generated.js';
import { JWT_BEARER_GRANT } from '../spec/types.js';

export type Grant = NonNullable<TokenRequest['grant']>;
export type ClientAuth = NonNullable<TokenRequest['clientAuth']>;
export type Encoding = NonNullable<TokenRequest['encoding']>;

/**
 * The grants init writes a spec for: the jwt-bearer grant too, whose assertion it knows how to sign.
 * (Token exchange and API Connect's api_key need a subject token or an API key init cannot name
 * from a command; a spec states them by hand.)
 */
export const GRANTS: readonly Grant[] = ['client_credentials', 'password', 'refresh_token', JWT_BEARER_GRANT];
/** The word init's questions offer for a grant: the jwt-bearer grant's URI is long to type. */
export const GRANT_WORDS: ReadonlyMap<string, Grant> = new Map(
  GRANTS.map((grant) => [grant === JWT_BEARER_GRANT ? 'jwt-bearer' : grant, grant]),
);
export const CLIENT_AUTHS: readonly ClientAuth[] = [
  'basic',
  'body',
  'none',
  'tls',
  'client_secret_jwt',
  'private_key_jwt',
];
export const ENCODINGS: readonly Encoding[] = ['urlencoded', 'form-data', 'json', 'query'];
