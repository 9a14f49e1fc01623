// Which auth of a collection gives way to tokenman's token. A request or folder that fetches its
// own OAuth token, or sends a bearer token of its own, would bypass the collection's: it is
// switched to inherit. Any other auth (an API key, Basic, AWS, noauth) is the request's on purpose
// and is kept.
import { authOf, type CollectionEntry } from './collection-items.js';

/** The auth types the collection's token replaces. */
export const TOKEN_AUTH_TYPES: readonly string[] = ['oauth2', 'bearer'];

/** The auth type an entry has of its own, to be switched to inherit; undefined to keep it. */
export function replacedAuth(entry: CollectionEntry): string | undefined {
  const type = authOf(entry)?.type;
  return typeof type === 'string' && TOKEN_AUTH_TYPES.includes(type) ? type : undefined;
}
