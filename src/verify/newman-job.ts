import type { NewmanRunOptions } from 'newman';
import { TOKEN_VARIABLES } from '../spec/reserved-variables.js';
import { withCapturedStdout } from './capture-stdout.js';
import { newmanTlsOptions } from './client-certificate-files.js';
import { credentialsOfRun } from './collect-credentials.js';
import { createRedactor, redactText } from './redact.js';
import {
  outcomeOf,
  type RunContext,
  type RunJob,
  stoppedOutcome,
  verdict,
  withClientTlsFiles,
  withRawReports,
} from './run-job.js';
import { type NewmanResult, runNewman } from './run-newman.js';
import { shortSecretWarnings } from './short-secrets.js';
import type { VerifyOutcome } from './verify-types.js';

/**
 * One collection and environment through Newman, in this process. Its reports are written into a
 * private folder, redacted of every secret and every credential the run received, and only then
 * published to the reports folder; a run stopped by the signal publishes nothing.
 */
export async function runNewmanJob(job: RunJob, { options, server }: RunContext): Promise<VerifyOutcome> {
  const { signal } = options;
  if (signal?.aborted) return stoppedOutcome(job, signal, 0);
  const reporters = options.reporters ?? [];
  return withRawReports(job, options, reporters, async (raw) => {
    const newmanOptions: NewmanRunOptions = {
      collection: job.collection as never,
      environment: job.environment as never,
      reporters: reporters.filter((r) => r !== 'json' || raw.json),
      reporter: {
        ...(raw.junit ? { junit: { export: raw.junit } } : {}),
        ...(raw.json ? { json: { export: raw.json } } : {}),
      },
      insecure: options.insecure === true || job.variant.token.insecure,
      color: options.color ?? (process.env.NO_COLOR ? 'off' : 'auto'),
      timeoutRequest: options.timeoutRequest ?? 30_000,
      // A 307 from a token endpoint would re-send the client secret wherever it points, and a script's
      // pm.sendRequest cannot refuse to follow one: with redirects off the script sees the 3xx and
      // fails the run naming the target instead.
      ignoreRedirects: true,
    };
    const before = job.clientId && server ? server.stats(job.clientId).tokenCalls : 0;
    const started = performance.now();
    const run = () =>
      withClientTlsFiles(job.tls, (files) =>
        runNewman(files ? { ...newmanOptions, ...newmanTlsOptions(files) } : newmanOptions, signal),
      );
    let result: NewmanResult;
    let printed: string | undefined;
    try {
      if (reporters.includes('cli')) {
        // Redacted once the run is over, when its tokens are known too.
        let redact = (text: string) => redactText(text, job.secrets);
        const captured = await withCapturedStdout(
          (text) => redact(text),
          async () => {
            const value = await run();
            redact = redactorOf(job, value).text;
            return value;
          },
        );
        result = captured.value;
        printed = captured.output;
      } else {
        result = await run();
      }
    } catch (error) {
      return outcomeOf(job, {
        passed: false,
        failures: [
          `newman could not run the collection: ${redactText((error as Error).message, job.secrets)}`,
        ],
        durationMs: performance.now() - started,
      });
    }
    const durationMs = performance.now() - started;
    if (result.aborted && signal) return stoppedOutcome(job, signal, durationMs);
    const redactor = redactorOf(job, result);
    const reports = await raw.publish(redactor);
    const failures = result.failures.map((f) => redactor.text(`${f.item} › ${f.test}: ${f.message}`));
    const warnings = shortSecretWarnings(job.spec, job.environment);
    const outcome = outcomeOf(job, {
      ...verdict(failures, result.assertions.total),
      assertions: result.assertions,
      requests: result.requests.total,
      durationMs,
      reports,
      ...(warnings.length ? { warnings } : {}),
      ...(printed === undefined ? {} : { output: printed }),
    });
    if (job.clientId && server) outcome.tokenCalls = server.stats(job.clientId).tokenCalls - before;
    return outcome;
  });
}

/** The run's secrets, the tokens it kept and every credential its answers carried. */
function redactorOf(job: RunJob, result: NewmanResult) {
  return createRedactor([
    ...job.secrets,
    result.environment[TOKEN_VARIABLES.token] ?? '',
    result.environment[TOKEN_VARIABLES.refresh] ?? '',
    ...credentialsOfRun(result.summary),
  ]);
}
