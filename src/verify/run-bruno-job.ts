import { join } from 'node:path';
import type { TokenServer } from '../server/index.js';
import type { Spec, VariantDef } from '../spec/types.js';
import { brunoCollectionDir, brunoEnvironmentName } from '../targets/bruno/bruno-paths.js';
import { bruTlsArgs, type ClientTlsFiles } from './client-certificate-files.js';
import { type BruResult, runBru } from './run-bru.js';

// One verify run in Bruno: the spec's generated Bruno collection with one variant's values, through
// the real `bru run`, reported in the same outcome shape as a Newman run.

/** bru run is a Node process of ~230 MB each; more than two at once only slows a small machine. */
const BRU_AT_ONCE = 2;
let running = 0;
const waiting: Array<() => void> = [];

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= BRU_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export interface BrunoJob {
  spec: Spec;
  variant: VariantDef;
  /** The variant's values, secrets included (never written to the generated files). */
  values: Record<string, string>;
  secrets: string[];
  clientId?: string;
  label: string;
}

export interface BrunoJobOutcome {
  passed: boolean;
  failures: string[];
  assertions: { total: number; failed: number };
  requests: number;
  durationMs: number;
  tokenCalls?: number;
  /** bru's own output, redacted: what `--reporter cli` prints. */
  output: string;
  /** The credentials the run received, to redact its reports with as well as its secrets. */
  received: string[];
}

export async function runBrunoJob(
  job: BrunoJob,
  options: {
    distDir: string;
    insecure: boolean;
    signal?: AbortSignal | undefined;
    reportFiles?: { junit?: string | undefined; json?: string | undefined };
    /** The client certificate's files, for a variant over mutual TLS. */
    tls?: ClientTlsFiles;
  },
  server: TokenServer | undefined,
): Promise<BrunoJobOutcome> {
  const collectionDir = join(options.distDir, brunoCollectionDir(job.spec));
  const environmentFile = join(
    collectionDir,
    'environments',
    `${brunoEnvironmentName(job.spec, job.variant)}.yml`,
  );
  return inTurn(async () => {
    const before = job.clientId && server ? server.stats(job.clientId).tokenCalls : 0;
    const started = performance.now();
    let result: BruResult;
    try {
      result = await runBru({
        collectionDir,
        environmentFile,
        values: job.values,
        secrets: job.secrets,
        insecure: options.insecure || job.variant.token.insecure,
        signal: options.signal,
        ...(options.reportFiles ? { reportFiles: options.reportFiles } : {}),
        ...(options.tls ? { extraArgs: bruTlsArgs(options.tls) } : {}),
      });
    } catch (error) {
      return {
        passed: false,
        failures: [(error as Error).message],
        assertions: { total: 0, failed: 0 },
        requests: 0,
        durationMs: performance.now() - started,
        output: '',
        received: [],
      };
    }
    const ran = result.requests.total - result.requests.skipped;
    const outcome: BrunoJobOutcome = {
      passed: result.exitCode === 0 && result.failures.length === 0 && result.assertions.total > 0,
      failures: result.failures.length || result.assertions.total > 0 ? result.failures : ['no test ran'],
      assertions: result.assertions,
      requests: ran,
      durationMs: performance.now() - started,
      output: result.output,
      received: result.received,
    };
    if (job.clientId && server) outcome.tokenCalls = server.stats(job.clientId).tokenCalls - before;
    return outcome;
  });
}
