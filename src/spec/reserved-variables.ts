// Variables tokenman's script keeps in the environment itself; a spec may reference Token (and
// RefreshToken in token.refreshToken) but declare none of them.
export const TOKEN_VARIABLES = {
  token: 'Token',
  expiresAt: 'TokenExpiresAt',
  renewAt: 'TokenRenewAt',
  refresh: 'RefreshToken',
  variant: 'TokenVariant',
  failedAt: 'TokenFailedAt',
  error: 'TokenError',
  /** OpenID Connect discovery: the token endpoint read from the issuer's document, and that document's URL. */
  endpoint: 'TokenEndpoint',
  discovery: 'TokenDiscovery',
} as const;

export const RESERVED_VARIABLES: readonly string[] = Object.values(TOKEN_VARIABLES);
