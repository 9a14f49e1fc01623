import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RequestPlan } from '../plan/request-plan.js';
import type { TokenServer } from '../server/index.js';
import type { Spec, VariantDef } from '../spec/types.js';
import { environmentFileName } from '../targets/output-files.js';
import type { EnvironmentJson } from '../targets/postman/generate-environment.js';
import {
  type ClientTls,
  type ClientTlsFiles,
  removeClientTlsFiles,
  writeClientTlsFiles,
} from './client-certificate-files.js';
import type { Redactor } from './redact.js';
import {
  createPrivateDir,
  publishReport,
  type ReporterName,
  removePrivateDir,
  reportPaths,
} from './reports.js';
import { RUNNER_NAMES, type Runner } from './runners.js';
import type { VerifyOptions, VerifyOutcome } from './verify-types.js';

// One run of verify: a variant's generated files with its filled environment, through one runner,
// and what every runner does alike around it: its label, its report files in a private folder
// published redacted, its client certificate's files for the run alone, a stop.

export interface RunJob {
  spec: Spec;
  variant: VariantDef;
  runner: Runner;
  /** The generated v2.1 collection, with any extra requests (Newman's and the Postman CLI's v2.1 runs). */
  collection: Record<string, unknown>;
  /** The variant's environment with every value filled in. */
  environment: EnvironmentJson;
  /** Values to blank out of everything the run gives back. */
  secrets: string[];
  /** Requests of the spec's API document this run leaves out (a filtered copy runs, dist/ stays). */
  leftOut?: RequestPlan[];
  /** The embedded server's test client of this run (local only), whose token calls it counts. */
  clientId?: string;
  /** The client certificate the run presents (mutual TLS), written to files only for the run. */
  tls?: ClientTls;
}

/** What a runner's job gets besides the job: the options (reports folder resolved) and the server. */
export interface RunContext {
  options: VerifyOptions & { reportersDir: string };
  server?: TokenServer | undefined;
}

/** `sap-cloud-management (password)`, and the runner where it is not Newman. */
export function runLabel(spec: Pick<Spec, 'id'>, variant: Pick<VariantDef, 'key'>, runner: Runner): string {
  const name = variant.key ? `${spec.id} (${variant.key})` : spec.id;
  return `${name}${RUNNER_NAMES[runner].label}`;
}

/** `<spec>[.<variant>]`, and the runner's suffix (`.bruno`) where it is not Newman. */
export function reportBaseName(
  spec: Pick<Spec, 'id'>,
  variant: Pick<VariantDef, 'key'>,
  runner: Runner,
): string {
  const base = environmentFileName(spec, variant).replace(/\.postman_environment\.json$/, '');
  return `${base}${RUNNER_NAMES[runner].report}`;
}

type OutcomeFields = Omit<VerifyOutcome, 'specId' | 'variant' | 'label' | 'client'>;

/** An outcome of a run, named after its spec, variant and runner. */
export function outcomeOf(
  job: Pick<RunJob, 'spec' | 'variant' | 'runner'>,
  fields: Partial<OutcomeFields> & Pick<OutcomeFields, 'passed' | 'failures'>,
): VerifyOutcome {
  const client = RUNNER_NAMES[job.runner].client;
  return {
    specId: job.spec.id,
    variant: job.variant.key,
    label: runLabel(job.spec, job.variant, job.runner),
    assertions: { total: 0, failed: 0 },
    requests: 0,
    durationMs: 0,
    reports: [],
    ...fields,
    ...(client ? { client } : {}),
  };
}

/** A run the signal stopped before it finished: it wrote no report. */
export function stoppedOutcome(
  job: Pick<RunJob, 'spec' | 'variant' | 'runner'>,
  signal: AbortSignal,
  durationMs: number,
): VerifyOutcome {
  const reason = signal.reason instanceof Error ? signal.reason.message : 'stopped';
  return outcomeOf(job, {
    passed: false,
    failures: [`${reason} before this run finished; it wrote no report`],
    durationMs,
  });
}

/** A run that could not start: its generated file went missing or was damaged since the check. */
export function failedOutcome(
  job: Pick<RunJob, 'spec' | 'variant' | 'runner'>,
  message: string,
): VerifyOutcome {
  return outcomeOf(job, { passed: false, failures: [message] });
}

/** A run passes when nothing failed and at least one test ran. */
export function verdict(failures: string[], assertions: number): Pick<VerifyOutcome, 'passed' | 'failures'> {
  return {
    passed: failures.length === 0 && assertions > 0,
    failures: failures.length || assertions > 0 ? failures : ['no test ran'],
  };
}

/**
 * Runs `work` with the client certificate written to private files, removed when it ends, also when
 * it throws or the run is stopped; without a certificate, `work` gets none.
 */
export async function withClientTlsFiles<T>(
  tls: ClientTls | undefined,
  work: (files: ClientTlsFiles | undefined) => Promise<T>,
): Promise<T> {
  if (!tls) return work(undefined);
  const files = await writeClientTlsFiles(tls);
  try {
    return await work(files);
  } finally {
    await removeClientTlsFiles(files);
  }
}

/** Where a runner writes its raw reports: a private folder, published to the reports folder after. */
export interface RawReports {
  junit?: string | undefined;
  json?: string | undefined;
  /** Publishes each raw report written, redacted, to the reports folder; the published paths. */
  publish(redactor: Redactor): Promise<string[]>;
}

/**
 * Runs `work` with private paths for the runner's raw reports (none without a file reporter), the
 * folder removed when it ends: a report reaches the reports folder only redacted, through publish.
 */
export async function withRawReports<T>(
  job: Pick<RunJob, 'spec' | 'variant' | 'runner'>,
  options: RunContext['options'],
  reporters: ReporterName[],
  work: (raw: RawReports) => Promise<T>,
): Promise<T> {
  const privateDir = reporters.some((r) => r !== 'cli') ? await createPrivateDir() : undefined;
  try {
    const paths = reportPaths(
      privateDir ?? options.reportersDir,
      reportBaseName(job.spec, job.variant, job.runner),
      reporters,
    );
    return await work({
      ...paths,
      async publish(redactor) {
        const published: string[] = [];
        for (const file of [paths.junit, paths.json]) {
          if (file === undefined || !existsSync(file)) continue;
          const target = join(options.reportersDir, basename(file));
          await publishReport(file, target, redactor);
          published.push(target);
        }
        return published;
      },
    });
  } finally {
    if (privateDir) await removePrivateDir(privateDir);
  }
}
