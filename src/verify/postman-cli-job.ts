import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { planSpec } from '../plan/plan-spec.js';
import {
  POSTMAN_V3_ENVIRONMENTS_DIR,
  v3CollectionDir,
  v3EnvironmentFileName,
} from '../targets/postman/postman-v3-paths.js';
import { createRedactor } from './redact.js';
import {
  outcomeOf,
  type RunContext,
  type RunJob,
  stoppedOutcome,
  verdict,
  withClientTlsFiles,
  withRawReports,
} from './run-job.js';
import { type PostmanCliResult, runPostmanCli } from './run-postman-cli.js';
import { inTurn } from './take-turns.js';
import type { VerifyOutcome } from './verify-types.js';

// One verify run in the Postman CLI: the v2.1 collection (as Newman runs it, with its reports), or
// the Collection v3 folder with its v3 environment (the CLI's v3 runs write the cli report alone).

/** A Postman CLI run is a process of about half a gigabyte: two at once at most. */
const POSTMAN_CLI_AT_ONCE = 2;

/** The variant's v3 environment from the output folder, every value filled in as the job's. */
async function filledV3Environment(distDir: string, job: RunJob): Promise<unknown> {
  const file = join(distDir, POSTMAN_V3_ENVIRONMENTS_DIR, v3EnvironmentFileName(job.spec, job.variant));
  const environment = parse(await readFile(file, 'utf8')) as { name: string; values: Array<{ key: string }> };
  const filled = new Map(job.environment.values.map((entry) => [entry.key, entry]));
  return {
    ...environment,
    values: environment.values.map((entry) => ({ ...entry, value: filled.get(entry.key)?.value ?? '' })),
  };
}

/**
 * The requests a v3 run runs when it does not run them all: this variant's "Get token" and every
 * request that uses the token but those the run leaves out. The Postman CLI 1.34 counts a request
 * its script skips (another variant's "Get token") as failed in a v3 run; naming the rest with -i
 * leaves it out. A name is all -i takes: a request left out that shares its name with one that
 * runs cannot be left out, and the run fails saying so rather than send it.
 */
function includedRequests(job: RunJob): { names?: string[] } | { problem: string } {
  const plan = planSpec(job.spec);
  if (!plan.tokenFolder && !job.leftOut?.length) return {};
  const own = plan.variants.find((variant) => variant.key === job.variant.key);
  const running = plan.requests.filter((request) => !isLeftOut(job, request));
  const names = new Set(running.map((request) => request.name));
  const clash = (job.leftOut ?? []).find((request) => names.has(request.name));
  if (clash)
    return {
      problem: `the Postman CLI's v3 run chooses requests by name, and "${clash.name}" names both a request this run leaves out (${clash.method} ${clash.operation?.path ?? clash.url}) and one it runs; run the v2.1 file (--client postman) instead`,
    };
  return { names: [...(own ? [own.tokenRequest.name] : []), ...names] };
}

function isLeftOut(job: RunJob, request: { key: string[] }): boolean {
  const key = request.key.join('\u0000');
  return (job.leftOut ?? []).some((left) => left.key.join('\u0000') === key);
}

export async function runPostmanCliJob(job: RunJob, { options, server }: RunContext): Promise<VerifyOutcome> {
  const { signal } = options;
  if (signal?.aborted) return stoppedOutcome(job, signal, 0);
  const distDir = options.distDir ?? 'dist';
  const v3 = job.runner === 'postman-cli-v3';
  // A v3 run writes the cli report alone (the CLI refuses the others for a v3 collection).
  const reporters = v3 ? (options.reporters ?? []).filter((r) => r === 'cli') : (options.reporters ?? []);
  return withRawReports(job, options, reporters, (raw) =>
    inTurn('postman-cli', POSTMAN_CLI_AT_ONCE, async () => {
      const before = job.clientId && server ? server.stats(job.clientId).tokenCalls : 0;
      const started = performance.now();
      let result: PostmanCliResult;
      try {
        const chosen = v3 ? includedRequests(job) : {};
        if ('problem' in chosen) throw new Error(chosen.problem);
        const include = chosen.names;
        result = await withClientTlsFiles(job.tls, async (files) =>
          runPostmanCli({
            ...(options.postmanCli ? { binary: options.postmanCli } : {}),
            collection: v3
              ? { format: 'v3', folder: join(distDir, v3CollectionDir(job.spec)) }
              : { format: 'v2.1', json: job.collection },
            environment: v3
              ? { format: 'yaml', value: await filledV3Environment(distDir, job) }
              : { format: 'json', value: job.environment },
            secrets: job.secrets,
            insecure: options.insecure === true || job.variant.token.insecure,
            timeoutRequest: options.timeoutRequest ?? 30_000,
            signal,
            ...(include ? { include } : {}),
            ...(files ? { tls: files } : {}),
            ...(v3 ? {} : { reportFiles: raw }),
          }),
        );
      } catch (error) {
        return outcomeOf(job, {
          passed: false,
          failures: [(error as Error).message],
          durationMs: performance.now() - started,
        });
      }
      const durationMs = performance.now() - started;
      if (signal?.aborted) return stoppedOutcome(job, signal, durationMs);
      const reports = await raw.publish(createRedactor([...job.secrets, ...result.credentials]));
      const outcome = outcomeOf(job, {
        ...verdict(result.failures, result.assertions.total),
        assertions: result.assertions,
        requests: result.requests.total,
        durationMs,
        reports,
        ...(reporters.includes('cli') ? { output: result.output } : {}),
      });
      if (job.clientId && server) outcome.tokenCalls = server.stats(job.clientId).tokenCalls - before;
      return outcome;
    }),
  );
}
