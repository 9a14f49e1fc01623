/** The server's idea of now for judging assertions; a test can put it off like a drifting vendor clock. */
export class ServerClock {
  #skewMs = 0;

  skew(seconds: number): void {
    if (!Number.isFinite(seconds))
      throw new RangeError(`clock skew must be a number of seconds, got ${seconds}`);
    this.#skewMs = seconds * 1000;
  }

  nowMs(): number {
    return Date.now() + this.#skewMs;
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }
}
