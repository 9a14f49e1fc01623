import type { TokenFault } from './types.js';

interface ArmedFault {
  fault: TokenFault;
  /** Calls still to answer normally before the fault fires. */
  waiting: number;
  remaining: number;
}

export class FaultBoard {
  #any: ArmedFault | undefined;
  readonly #perClient = new Map<string, ArmedFault>();

  set(fault: TokenFault | null, clientId?: string): void {
    if (fault === null) {
      if (clientId === undefined) {
        this.#any = undefined;
        this.#perClient.clear();
      } else {
        this.#perClient.delete(clientId);
      }
      return;
    }
    validate(fault);
    const armed = {
      fault: { ...fault },
      waiting: fault.after ?? 0,
      remaining: fault.times ?? Number.POSITIVE_INFINITY,
    };
    if (clientId === undefined) this.#any = armed;
    else this.#perClient.set(clientId, armed);
  }

  /** The fault answering this call, if any; a client's own fault wins over the one for any client. */
  take(clientId: string | undefined): TokenFault | undefined {
    const own = clientId === undefined ? undefined : this.#perClient.get(clientId);
    const armed = own ?? this.#any;
    if (!armed) return undefined;
    if (armed.waiting > 0) {
      armed.waiting -= 1;
      return undefined;
    }
    armed.remaining -= 1;
    if (armed.remaining <= 0) {
      if (own && clientId !== undefined) this.#perClient.delete(clientId);
      else this.#any = undefined;
    }
    return armed.fault;
  }
}

// Rejected here rather than when the fault fires, where an invalid status would only surface as a 500.
function validate(fault: TokenFault): void {
  if (!Number.isInteger(fault.status) || fault.status < 100 || fault.status > 599) {
    throw new RangeError(`fault status must be an HTTP status code, got ${fault.status}`);
  }
  if (fault.times !== undefined && (!Number.isInteger(fault.times) || fault.times < 1)) {
    throw new RangeError(`fault times must be a positive integer, got ${fault.times}`);
  }
  if (fault.after !== undefined && (!Number.isInteger(fault.after) || fault.after < 0)) {
    throw new RangeError(`fault after must be a whole number, got ${fault.after}`);
  }
  if (fault.delayMs !== undefined && !(fault.delayMs >= 0)) {
    throw new RangeError(`fault delayMs must not be negative, got ${fault.delayMs}`);
  }
}
