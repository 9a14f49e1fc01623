export interface RefreshGrant {
  refreshToken: string;
  refreshTokenExpiresAt: Date | undefined;
  scope: string[] | undefined;
  clientId: string;
  user: { id: string };
}

/** Opaque refresh tokens, each usable once: the engine revokes a refresh token when it rotates it. */
export class RefreshTokens {
  readonly #grants = new Map<string, RefreshGrant>();

  save(grant: RefreshGrant): void {
    this.#grants.set(grant.refreshToken, grant);
  }

  get(refreshToken: string): RefreshGrant | undefined {
    return this.#grants.get(refreshToken);
  }

  revoke(refreshToken: string): boolean {
    return this.#grants.delete(refreshToken);
  }
}
