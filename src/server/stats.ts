import type { ServerStats } from './types.js';

export class StatsBook {
  readonly #totals: ServerStats = zero();
  readonly #perClient = new Map<string, ServerStats>();

  tokenCall(clientId: string | undefined): void {
    for (const stats of this.#targets(clientId)) stats.tokenCalls += 1;
  }

  apiCall(clientId: string | undefined, rejected: boolean): void {
    for (const stats of this.#targets(clientId)) {
      stats.apiCalls += 1;
      if (rejected) stats.rejectedApiCalls += 1;
    }
  }

  read(clientId?: string): ServerStats {
    const stats = clientId === undefined ? this.#totals : this.#perClient.get(clientId);
    return { ...(stats ?? zero()) };
  }

  #targets(clientId: string | undefined): ServerStats[] {
    if (clientId === undefined) return [this.#totals];
    let stats = this.#perClient.get(clientId);
    if (!stats) {
      stats = zero();
      this.#perClient.set(clientId, stats);
    }
    return [this.#totals, stats];
  }
}

function zero(): ServerStats {
  return { tokenCalls: 0, apiCalls: 0, rejectedApiCalls: 0 };
}
