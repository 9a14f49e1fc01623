/** Remembers each client's assertion `jti` until the assertion could no longer pass anyway. */
export class ReplayGuard {
  readonly #seen = new Map<string, number>();

  /** True the first time this client presents this jti; false for a replay. */
  firstUse(clientId: string, jti: string, keepUntilMs: number, nowMs: number): boolean {
    for (const [key, until] of this.#seen) if (until < nowMs) this.#seen.delete(key);
    const key = JSON.stringify([clientId, jti]);
    if (this.#seen.has(key)) return false;
    this.#seen.set(key, keepUntilMs);
    return true;
  }
}
