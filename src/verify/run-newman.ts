import { readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Duplex } from 'node:stream';
import { rootCertificates } from 'node:tls';
import type { NewmanRunOptions, NewmanRunSummary } from 'newman';

export interface NewmanFailure {
  /** The request (item) the failure belongs to. */
  item: string;
  /** The failed test's name, or the kind of error. */
  test: string;
  message: string;
}

export interface NewmanResult {
  failures: NewmanFailure[];
  assertions: { total: number; failed: number };
  requests: { total: number; failed: number };
  /** The run's environment at the end, for the values the script stored. */
  environment: Record<string, string>;
  summary: NewmanRunSummary;
  /** The signal stopped the run before its end: its results are incomplete. */
  aborted: boolean;
}

/** What Newman's `start` event carries: the runtime's run, which can be aborted. */
interface RunStart {
  run?: { abort(): void };
}

type NewmanModule = { default: typeof import('newman') };

let loading: Promise<NewmanModule> | undefined;

/**
 * Starts loading Newman (most of a second) so it overlaps other work; runNewman waits for it.
 * Newman is loaded only from here, so `tokenman build` and `--help` never pay for it.
 */
export function preloadNewman(): Promise<NewmanModule> {
  loading ??= import('newman') as Promise<NewmanModule>;
  return loading;
}

/**
 * The most of one answer a run reads. Newman hands every answer a script sees (the token and
 * discovery answers of pm.sendRequest, an example request's) to the script's sandbox as a list of
 * numbers, which costs about a second and 100 MB a megabyte: a 20 MB discovery document took 30 s
 * and 2 GB before the script could say a word, and then the script ran out of time. Token answers
 * and discovery documents are a few kilobytes; this leaves ample room for an API's example answer.
 */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** What a request that got a longer answer fails with. */
export const ANSWER_TOO_LARGE = `the answer is larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MB, more than tokenman verify reads of one answer`;

/**
 * The error a cut answer fails with. Its message is an own enumerable property, as that is all of
 * an error that crosses into the script's sandbox (pm.sendRequest's callback gets a copy).
 */
function answerTooLarge(): Error {
  return Object.defineProperty(new Error(ANSWER_TOO_LARGE), 'message', {
    value: ANSWER_TOO_LARGE,
    enumerable: true,
  });
}

/**
 * The agent with each of its connections cut once an answer on it passes `maxBytes` (headers
 * included): the request then fails with ANSWER_TOO_LARGE instead of being read whole. A connection
 * kept alive for the next request starts counting again when it is handed back.
 */
function limitAnswers<T extends HttpAgent>(agent: T, maxBytes: number): T {
  const received = new WeakMap<Duplex, number>();
  const create = agent.createConnection.bind(agent) as (...args: unknown[]) => Duplex;
  agent.createConnection = ((...args: unknown[]) => {
    const socket = create(...args);
    received.set(socket, 0);
    socket.on('data', (chunk: Buffer) => {
      const total = (received.get(socket) ?? 0) + chunk.length;
      received.set(socket, total);
      if (total > maxBytes) socket.destroy(answerTooLarge());
    });
    return socket;
  }) as T['createConnection'];
  agent.on('free', (socket: Duplex) => received.set(socket, 0));
  return agent;
}

/**
 * Newman as a Promise that returns data, on agents of this run alone that read at most
 * MAX_ANSWER_BYTES of an answer. With a signal, an abort stops the run: no further request starts
 * (the runtime's abort) and the requests in flight end at once (their sockets are destroyed)
 * instead of waiting up to the request timeout.
 */
export async function runNewman(options: NewmanRunOptions, signal?: AbortSignal): Promise<NewmanResult> {
  const { default: newman } = await preloadNewman();
  let aborted = false;
  const summary = await new Promise<NewmanRunSummary>((resolve, reject) => {
    // Newman adds sslExtraCaCerts only to agents it makes itself, so these carry it.
    const extraCa = options.sslExtraCaCerts ? readFileSync(options.sslExtraCaCerts, 'utf8') : undefined;
    const agents = {
      http: limitAnswers(new HttpAgent(), MAX_ANSWER_BYTES),
      https: limitAnswers(
        new HttpsAgent(extraCa ? { ca: [...rootCertificates, extraCa] } : {}),
        MAX_ANSWER_BYTES,
      ),
    };
    let run: RunStart['run'];
    const abort = () => {
      aborted = true;
      run?.abort();
      agents.http.destroy();
      agents.https.destroy();
    };
    const emitter = newman.run({ ...options, requestAgents: agents }, (error, result) => {
      signal?.removeEventListener('abort', abort);
      agents.http.destroy();
      agents.https.destroy();
      if (error) reject(error);
      else resolve(result);
    });
    if (!signal) return;
    emitter.on('start', (_error: unknown, start: RunStart) => {
      run = start.run;
      if (signal.aborted) abort();
    });
    if (signal.aborted) aborted = true;
    else signal.addEventListener('abort', abort, { once: true });
  });
  const failures = summary.run.failures.map((failure) => ({
    item: (failure.source as { name?: string } | undefined)?.name ?? 'collection',
    test: failure.error.test ?? failure.error.name,
    message: failure.error.message,
  }));
  const stats = summary.run.stats;
  // At run time summary.environment is a VariableScope, whatever the typings say.
  const scope = summary.environment as unknown as { toObject(): Record<string, unknown> };
  const environment = Object.fromEntries(
    Object.entries(scope.toObject()).map(([key, value]) => [key, String(value ?? '')]),
  );
  return {
    failures,
    assertions: { total: stats.assertions.total ?? 0, failed: stats.assertions.failed ?? 0 },
    requests: { total: stats.requests.total ?? 0, failed: stats.requests.failed ?? 0 },
    environment,
    summary,
    aborted,
  };
}
