import { setTimeout as sleep } from 'node:timers/promises';
import { claimedClient } from './assertions.js';
import type { DialectDeps, TokenDialect, TokenRequest } from './dialects/dialect.js';
import type { FaultBoard } from './faults.js';
import type { HttpReply } from './reply.js';
import type { StatsBook } from './stats.js';

export interface TokenEndpointDeps extends DialectDeps {
  stats: StatsBook;
  faults: FaultBoard;
  /** Aborted on close so that a fault delay does not keep the process alive. */
  closing: AbortSignal;
}

/** Counts the call, lets an injected fault pre-empt it, and otherwise hands it to the dialect. */
export async function answerTokenCall(
  dialect: TokenDialect,
  request: TokenRequest,
  deps: TokenEndpointDeps,
): Promise<HttpReply> {
  const call = dialect.parse(request, deps);
  // Assertion clients may send no client_id; the assertion's claim still counts the call as theirs.
  const clientId = call.form.client_id ?? claimedClient(call.form);
  deps.stats.tokenCall(clientId);
  const fault = deps.faults.take(clientId);
  if (fault) {
    if (fault.delayMs) await sleep(fault.delayMs, undefined, { signal: deps.closing });
    return { status: fault.status, body: fault.body, contentType: fault.contentType ?? 'application/json' };
  }
  return call.reject ?? dialect.answer(call.form, request, deps);
}
