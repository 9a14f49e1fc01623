// Variables tokenman itself keeps in the environment; a spec may reference Token but declare none.
export const TOKEN_VARIABLES = {
  token: 'Token',
  expiresAt: 'TokenExpiresAt',
  renewAt: 'TokenRenewAt',
  refresh: 'RefreshToken',
  variant: 'TokenVariant',
} as const;

export const RESERVED_VARIABLE_NAMES: readonly string[] = Object.values(TOKEN_VARIABLES);
