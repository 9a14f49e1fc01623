import { join } from 'node:path';
import { brunoCollectionDir, brunoEnvironmentName } from '../targets/bruno/bruno-paths.js';
import { bruTlsArgs } from './client-certificate-files.js';
import { brunoCollectionWithout, notLeftOut } from './leave-out-requests.js';
import { createRedactor } from './redact.js';
import { createPrivateDir, removePrivateDir } from './reports.js';
import { type BruResult, runBru } from './run-bru.js';
import {
  outcomeOf,
  type RunContext,
  type RunJob,
  stoppedOutcome,
  verdict,
  withClientTlsFiles,
  withRawReports,
} from './run-job.js';
import { inTurn } from './take-turns.js';
import type { VerifyOutcome } from './verify-types.js';

// One verify run in Bruno: the spec's generated Bruno collection with one variant's values, through
// the real `bru run`, reported in the same outcome shape as a Newman run. Its junit and json
// reports (`<spec>[.<variant>].bruno.*`) are written into a private folder and published redacted,
// as Newman's are.

/** bru run is a Node process of ~230 MB each; more than two at once only slows a small machine. */
const BRU_AT_ONCE = 2;

export async function runBrunoJob(job: RunJob, { options, server }: RunContext): Promise<VerifyOutcome> {
  const { signal } = options;
  if (signal?.aborted) return stoppedOutcome(job, signal, 0);
  const collectionDir = join(options.distDir ?? 'dist', brunoCollectionDir(job.spec));
  const environmentFile = join(
    collectionDir,
    'environments',
    `${brunoEnvironmentName(job.spec, job.variant)}.yml`,
  );
  const values = Object.fromEntries(job.environment.values.map((v) => [v.key, v.value]));
  const reporters = options.reporters ?? [];
  return withRawReports(job, options, reporters, (raw) =>
    inTurn('bru', BRU_AT_ONCE, async () => {
      const before = job.clientId && server ? server.stats(job.clientId).tokenCalls : 0;
      const started = performance.now();
      let result: BruResult;
      // A run that leaves requests out runs a copy of the collection without them.
      const copyDir = job.leftOut?.length ? await createPrivateDir('bru') : undefined;
      try {
        if (copyDir) {
          const into = join(copyDir, 'collection');
          const notFound = await brunoCollectionWithout(collectionDir, into, job.leftOut ?? []);
          if (notFound.length) throw new Error(notLeftOut(notFound));
        }
        result = await withClientTlsFiles(job.tls, (files) =>
          runBru({
            collectionDir: copyDir ? join(copyDir, 'collection') : collectionDir,
            environmentFile,
            values,
            secrets: job.secrets,
            insecure: options.insecure === true || job.variant.token.insecure,
            signal,
            reportFiles: raw,
            ...(files ? { extraArgs: bruTlsArgs(files) } : {}),
          }),
        );
      } catch (error) {
        return outcomeOf(job, {
          passed: false,
          failures: [(error as Error).message],
          durationMs: performance.now() - started,
        });
      } finally {
        if (copyDir) await removePrivateDir(copyDir);
      }
      const durationMs = performance.now() - started;
      if (signal?.aborted) return stoppedOutcome(job, signal, durationMs);
      // As Newman's: the run's secrets and every credential it received (an API that echoes its token).
      const reports = await raw.publish(createRedactor([...job.secrets, ...result.received]));
      const failures =
        result.exitCode !== 0 && result.failures.length === 0
          ? [`bru run exited ${result.exitCode}`]
          : result.failures;
      const outcome = outcomeOf(job, {
        ...verdict(failures, result.assertions.total),
        assertions: result.assertions,
        requests: result.requests.total - result.requests.skipped,
        durationMs,
        reports,
        ...(reporters.includes('cli') ? { output: result.output } : {}),
      });
      if (job.clientId && server) outcome.tokenCalls = server.stats(job.clientId).tokenCalls - before;
      return outcome;
    }),
  );
}
