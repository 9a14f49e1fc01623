import { readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
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
 * Newman as a Promise that returns data. With a signal, an abort stops the run: no further request
 * starts (the runtime's abort) and the requests in flight end at once (their sockets, on agents of
 * this run alone, are destroyed) instead of waiting up to the request timeout.
 */
export async function runNewman(options: NewmanRunOptions, signal?: AbortSignal): Promise<NewmanResult> {
  const { default: newman } = await preloadNewman();
  let aborted = false;
  const summary = await new Promise<NewmanRunSummary>((resolve, reject) => {
    if (!signal) {
      newman.run(options, (error, result) => (error ? reject(error) : resolve(result)));
      return;
    }
    // Newman adds sslExtraCaCerts only to agents it makes itself, so these carry it.
    const extraCa = options.sslExtraCaCerts ? readFileSync(options.sslExtraCaCerts, 'utf8') : undefined;
    const agents = {
      http: new HttpAgent(),
      https: new HttpsAgent(extraCa ? { ca: [...rootCertificates, extraCa] } : {}),
    };
    let run: RunStart['run'];
    const abort = () => {
      aborted = true;
      run?.abort();
      agents.http.destroy();
      agents.https.destroy();
    };
    const emitter = newman.run({ ...options, requestAgents: agents }, (error, result) => {
      signal.removeEventListener('abort', abort);
      agents.http.destroy();
      agents.https.destroy();
      if (error) reject(error);
      else resolve(result);
    });
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
