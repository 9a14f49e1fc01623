import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { NewmanRunOptions } from 'newman';
import { type CommandInput, checkOutputFile, makeFolders } from '../emit/output-path.js';
import { planSpec } from '../plan/plan-spec.js';
import type { TokenServer } from '../server/index.js';
import { findSpecFiles } from '../spec/find-spec-files.js';
import { loadSpecs } from '../spec/load-specs.js';
import type { Problem } from '../spec/problem.js';
import { TOKEN_VARIABLES } from '../spec/reserved-variables.js';
import type { Spec, VariantDef } from '../spec/types.js';
import { collectionFileName, environmentFileName } from '../targets/output-files.js';
import { tokenItemCount } from '../targets/postman/generate-collection.js';
import type { EnvironmentJson } from '../targets/postman/generate-environment.js';
import { type CredentialFill, credentialFills, fillKey } from '../values/credential-values.js';
import { ambiguousProcessEnv, valuesFromProcessEnv } from '../values/environment-values.js';
import {
  type ClientTls,
  newmanTlsOptions,
  removeClientTlsFiles,
  writeClientTlsFiles,
} from './client-certificate-files.js';
import { clientTlsFromValues } from './client-certificate-values.js';
import { credentialsOfRun } from './collect-credentials.js';
import { localSetup, usesClientCertificate } from './local-credentials.js';
import { createRedactor, redactText } from './redact.js';
import { withRedactedStdout } from './redact-stdout.js';
import {
  checkTemporaryFolder,
  createPrivateDir,
  publishReport,
  type ReporterName,
  removePrivateDir,
  reportPaths,
} from './reports.js';
import { shortSecretWarnings } from './short-secrets.js';
import { staleDist } from './stale-dist.js';

export type { ReporterName };

import { secretValues, withValues } from '../values/environment-fill.js';
import type { CredentialsFile } from '../values/read-credentials-file.js';
import { collectBetweenRuns } from './collect-garbage.js';
import { withExtraRequests } from './extra-requests.js';
import { checkArtifact, isProblem, readArtifact } from './read-artifact.js';
import { runBrunoJob } from './run-bruno-job.js';
import { type NewmanResult, preloadNewman, runNewman } from './run-newman.js';
import { runPool } from './run-pool.js';
import { type Shard, selectShard, shardName } from './select-shard.js';
import { tokenHost } from './token-host.js';
import { DEFAULT_CONCURRENCY, DEFAULT_PER_HOST } from './verify-limits.js';

export type { Shard };

/**
 * The address whose host a run's token requests go to, known before the run: the token URL, or
 * with discovery the issuer's document (the endpoint it names is read only at run time).
 */
function tokenAddress(token: { url: string; discovery: string }): string {
  return token.discovery || token.url;
}

/** Which client runs the generated files: Newman (the Postman collections), bru run, or both. */
export type VerifyClient = 'postman' | 'bruno' | 'all';

export interface VerifyOptions {
  /** Spec files whose collections to verify; default every spec in specsDir. */
  files?: string[];
  /** Default `specs`. */
  specsDir?: string;
  /** Where the generated collections are; default `dist`. */
  distDir?: string;
  /** Verify against the embedded token server (started on 127.0.0.1 unless `server` is given). */
  local: boolean;
  /** A running embedded server to use instead of starting one (tests inject faults through it). */
  server?: TokenServer;
  /** Values that win over every other source (`--env-var`). */
  envVars?: Record<string, string>;
  /** Values from a Postman environment file (`-e`). */
  environmentValues?: Record<string, string>;
  /**
   * The vendor's credentials file (`--credentials`): each spec's variables that declare a path into
   * it take their values from it, over `environmentValues` and under TOKENMAN_* and `envVars`.
   */
  credentials?: CredentialsFile;
  /** Where TOKENMAN_* variables are read from (real vendor runs); default none. */
  processEnv?: NodeJS.ProcessEnv;
  /** Newman reporters; default none (tokenman prints its own summary). */
  reporters?: ReporterName[];
  /** Where junit and json reports go; default `reports`. */
  reportersDir?: string;
  /** Turn TLS verification off for every collection (the spec's `insecure` does it per spec). */
  insecure?: boolean;
  /** Newman's per-request timeout in ms; default 30000. */
  timeoutRequest?: number;
  /** Run only these variants of specs that have variants; default every variant. */
  variants?: string[];
  /** Extra requests appended to each collection (benchmarks and tests of token caching). */
  extraRequests?: number;
  /**
   * Called as each collection/variant finishes (progress output), in completion order, with the run's
   * place in the run order (the order of `outcomes`), so a caller can print in a stable order.
   */
  onOutcome?: (outcome: VerifyOutcome, index: number) => void;
  /**
   * Keep every outcome for `outcomes`; default true. False leaves `outcomes` empty, for callers that
   * take each from onOutcome and let it go (the CLI's text output over thousands of runs).
   */
  keepOutcomes?: boolean;
  /** Runs at once; default DEFAULT_CONCURRENCY (4). With the `cli` reporter, always 1. */
  concurrency?: number;
  /**
   * Runs at once that send their token requests to one host (as resolved from the filled
   * environment); default DEFAULT_PER_HOST (8), so a vendor's tenant never sees more token requests
   * at once, whatever the concurrency.
   */
  perHost?: number;
  /**
   * Only this shard's part of the runs (for parallel CI jobs); its reports go to
   * `<reportersDir>/shard-<i>-of-<n>/`.
   */
  shard?: Shard;
  /** Colours in Newman's cli reporter; default off when NO_COLOR is set, else auto. */
  color?: 'on' | 'off' | 'auto';
  /** Stops the runs (SIGINT, SIGTERM): no new run starts, running ones end, none writes a report. */
  signal?: AbortSignal;
  /** Default `postman`; `bruno` and `all` need @usebruno/cli installed. */
  client?: VerifyClient;
  /**
   * Files the caller read for these runs (`-e`, `--credentials`): no report is written over one,
   * nor over a spec or a generated file the runs read.
   */
  inputs?: CommandInput[];
}

export interface VerifyOutcome {
  specId: string;
  variant: string;
  /** `sap-cloud-management (password)`. */
  label: string;
  passed: boolean;
  /** Each failure in words, `request › test: message`; the first is what the summary shows. */
  failures: string[];
  assertions: { total: number; failed: number };
  requests: number;
  durationMs: number;
  /** Reports written for this run. */
  reports: string[];
  /** Token endpoint calls the embedded server saw for this run's client (local only). */
  tokenCalls?: number;
  /** Secret variables with short values, by name (never the value). */
  warnings?: string[];
  /** Set for a run of the Bruno collection (`bru run`); absent for Newman. */
  client?: 'bruno';
}

export interface VerifyResult {
  /** In run order (spec files, then variants); empty when `keepOutcomes` is false. */
  outcomes: VerifyOutcome[];
  /** Runs that passed and failed, kept even when the outcomes are not. */
  counts: { passed: number; failed: number };
  /** Runs the specs and variants make before sharding (a shard may have none of them). */
  totalRuns: number;
  /** Spec errors, or missing generated files; with any, nothing was run. */
  problems: Problem[];
  /** The embedded server's URL, when one was used. */
  serverUrl?: string;
}

interface Job {
  spec: Spec;
  variant: VariantDef;
  collection: Record<string, unknown>;
  environment: EnvironmentJson;
  secrets: string[];
  clientId?: string;
  client: 'postman' | 'bruno';
  /** The client certificate the run presents (mutual TLS), written to files only for the run. */
  tls?: ClientTls;
}

/** One collection with one environment to run: small, its files are read when it starts. */
interface PlannedRun {
  spec: Spec;
  variant: VariantDef;
  collectionFile: string;
  environmentFile: string;
  /** Which runner: Newman for the Postman collection, `bru run` for the Bruno one. */
  client: Job['client'];
}

/** A planned run with its environment filled and the host its token requests go to. */
type PreparedRun = PlannedRun & { host: string } & (
    | {
        problem?: undefined;
        environment: EnvironmentJson;
        secrets: string[];
        clientId?: string;
        tls?: ClientTls;
      }
    | { problem: string; environment?: undefined; secrets?: undefined; clientId?: undefined }
  );

/** `<spec>[.<variant>]` for Newman's reports, `<spec>[.<variant>].bruno` for bru's. */
function reportBaseName(run: Pick<PlannedRun, 'spec' | 'variant' | 'client'>): string {
  const base = environmentFileName(run.spec, run.variant).replace(/\.postman_environment\.json$/, '');
  return run.client === 'bruno' ? `${base}.bruno` : base;
}

/**
 * Refuses, before any run, a report that would go where tokenman writes no file (a link, a device)
 * or over a file the runs read: `--reporters-dir .` with `-e sap-ai-core.json` would overwrite the
 * user's environment with the report of spec sap-ai-core.
 */
async function checkReportTargets(
  runs: readonly PlannedRun[],
  reportersDir: string,
  reporters: readonly ReporterName[],
  inputs: readonly CommandInput[],
): Promise<void> {
  const read: CommandInput[] = [
    ...inputs,
    ...runs.flatMap((run) => [
      { flag: 'the spec', path: run.spec.file },
      { flag: 'the collection', path: run.collectionFile },
      { flag: 'the environment', path: run.environmentFile },
    ]),
  ];
  for (const run of runs) {
    const { junit, json } = reportPaths(reportersDir, reportBaseName(run), [...reporters]);
    for (const target of [junit, json]) if (target) await checkOutputFile(target, read);
  }
}

function label(spec: Spec, variant: VariantDef): string {
  return variant.key ? `${spec.id} (${variant.key})` : spec.id;
}

function stoppedOutcome(job: Job, signal: AbortSignal, durationMs: number): VerifyOutcome {
  const reason = signal.reason instanceof Error ? signal.reason.message : 'stopped';
  return {
    specId: job.spec.id,
    variant: job.variant.key,
    label: label(job.spec, job.variant),
    passed: false,
    failures: [`${reason} before this run finished; it wrote no report`],
    assertions: { total: 0, failed: 0 },
    requests: 0,
    durationMs,
    reports: [],
  };
}

/**
 * The same values through `bru run` of the spec's Bruno collection, as a verify outcome. Its junit
 * and json reports (`<spec>[.<variant>].bruno.*`) are written into a private folder and published
 * redacted, as Newman's are.
 */
async function runBrunoAsOutcome(
  job: Job,
  options: VerifyOptions,
  server: TokenServer | undefined,
): Promise<VerifyOutcome> {
  const { signal } = options;
  if (signal?.aborted) return { ...stoppedOutcome(job, signal, 0), client: 'bruno' };
  const reporters = options.reporters ?? [];
  const reportsDir = options.reportersDir ?? 'reports';
  const baseName = reportBaseName(job);
  const privateDir = reporters.some((r) => r !== 'cli') ? await createPrivateDir() : undefined;
  try {
    const raw = reportPaths(privateDir ?? reportsDir, baseName, reporters);
    const values = Object.fromEntries(job.environment.values.map((v) => [v.key, v.value]));
    const bruLabel = `${label(job.spec, job.variant)} in Bruno`;
    const ran = await withClientTlsFiles(job.tls, (files) =>
      runBrunoJob(
        { ...job, values, label: bruLabel },
        {
          distDir: options.distDir ?? 'dist',
          insecure: options.insecure === true,
          signal,
          reportFiles: raw,
          ...(files ? { tls: files } : {}),
        },
        server,
      ),
    ).catch((error: Error) => ({
      // The certificate's files could not be written (a full or unwritable temporary folder).
      passed: false,
      failures: [`could not write the client certificate for bru run: ${error.message}`],
      assertions: { total: 0, failed: 0 },
      requests: 0,
      durationMs: 0,
      output: '',
      received: [] as string[],
    }));
    if (signal?.aborted) return { ...stoppedOutcome(job, signal, ran.durationMs), client: 'bruno' };
    if (reporters.includes('cli')) process.stdout.write(ran.output);
    // As Newman's: the run's secrets and every credential it received (an API that echoes its token).
    const redactor = createRedactor([...job.secrets, ...ran.received]);
    const reports: string[] = [];
    for (const file of [raw.junit, raw.json]) {
      if (file === undefined || !existsSync(file)) continue;
      const target = join(reportsDir, basename(file));
      await publishReport(file, target, redactor);
      reports.push(target);
    }
    const { output: _output, received: _received, ...outcome } = ran;
    return {
      specId: job.spec.id,
      variant: job.variant.key,
      label: bruLabel,
      reports,
      ...outcome,
      client: 'bruno',
    };
  } finally {
    if (privateDir) await removePrivateDir(privateDir);
  }
}

/**
 * One collection and environment through Newman. Its reports are written into a private folder,
 * redacted of every secret and every credential the run received, and only then published to the
 * reports folder; a run stopped by the signal publishes nothing.
 */
async function runJob(
  job: Job,
  options: VerifyOptions,
  server: TokenServer | undefined,
): Promise<VerifyOutcome> {
  const { signal } = options;
  if (signal?.aborted) return stoppedOutcome(job, signal, 0);
  const reporters = options.reporters ?? [];
  const reportsDir = options.reportersDir ?? 'reports';
  const baseName = reportBaseName(job);
  const privateDir = reporters.some((r) => r !== 'cli') ? await createPrivateDir() : undefined;
  try {
    const raw = reportPaths(privateDir ?? reportsDir, baseName, reporters);
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
    let result: NewmanResult;
    try {
      const run = () =>
        withClientTlsFiles(job.tls, (files) =>
          runNewman(files ? { ...newmanOptions, ...newmanTlsOptions(files) } : newmanOptions, signal),
        );
      result = reporters.includes('cli')
        ? await withRedactedStdout(createRedactor(job.secrets), run)
        : await run();
    } catch (error) {
      return {
        specId: job.spec.id,
        variant: job.variant.key,
        label: label(job.spec, job.variant),
        passed: false,
        failures: [
          `newman could not run the collection: ${redactText((error as Error).message, job.secrets)}`,
        ],
        assertions: { total: 0, failed: 0 },
        requests: 0,
        durationMs: performance.now() - started,
        reports: [],
      };
    }
    const durationMs = performance.now() - started;
    if (result.aborted && signal) return stoppedOutcome(job, signal, durationMs);
    const redactor = createRedactor([
      ...job.secrets,
      result.environment[TOKEN_VARIABLES.token] ?? '',
      result.environment[TOKEN_VARIABLES.refresh] ?? '',
      ...credentialsOfRun(result.summary),
    ]);
    const reports: string[] = [];
    for (const file of [raw.junit, raw.json]) {
      if (file === undefined) continue;
      const target = join(reportsDir, basename(file));
      await publishReport(file, target, redactor);
      reports.push(target);
    }
    const failures = result.failures.map((f) => redactor.text(`${f.item} › ${f.test}: ${f.message}`));
    const warnings = shortSecretWarnings(job.spec, job.environment);
    const outcome: VerifyOutcome = {
      specId: job.spec.id,
      variant: job.variant.key,
      label: label(job.spec, job.variant),
      passed: failures.length === 0 && result.assertions.total > 0,
      failures: failures.length || result.assertions.total > 0 ? failures : ['no test ran'],
      assertions: result.assertions,
      requests: result.requests.total,
      durationMs,
      reports,
      ...(warnings.length ? { warnings } : {}),
    };
    if (job.clientId && server) outcome.tokenCalls = server.stats(job.clientId).tokenCalls - before;
    return outcome;
  } finally {
    if (privateDir) await removePrivateDir(privateDir);
  }
}

/**
 * Runs every generated collection with each of its environments through Newman, all in this process,
 * a few at a time (`concurrency`, `perHost`), each run's files read as it starts and its outcome
 * handed on as it ends, so memory stays flat however many specs there are. Locally, the embedded
 * token server stands in for every vendor; otherwise the user's values (flags, an environment file,
 * TOKENMAN_* variables) fill the environments in memory, never on disk.
 */
export async function verifyCollections(options: VerifyOptions): Promise<VerifyResult> {
  // Loading Newman takes longest; let it run while specs are read and the server starts. A
  // failure to load surfaces from the first run, as before.
  preloadNewman().catch(() => undefined);
  const specsDir = options.specsDir ?? 'specs';
  const distDir = options.distDir ?? 'dist';
  const files = options.files?.length ? options.files : await findSpecFiles(specsDir);
  const { specs, problems } = await loadSpecs(files);
  const noRuns = { outcomes: [], counts: { passed: 0, failed: 0 }, totalRuns: 0 };
  if (problems.some((p) => p.severity === 'error')) return { ...noRuns, problems };
  const ambiguous = options.local ? [] : ambiguousProcessEnv(specs, options.processEnv ?? {});
  if (ambiguous.length) return { ...noRuns, problems: [...problems, ...ambiguous] };

  const known = new Set(specs.flatMap((spec) => spec.variants.map((v) => v.key).filter(Boolean)));
  const unknown = (options.variants ?? []).filter((key) => !known.has(key));
  if (unknown.length) {
    const message = `no variant ${unknown.map((k) => `"${k}"`).join(', ')} in these specs; they have: ${[...known].join(', ') || 'none'}`;
    return {
      ...noRuns,
      problems: [...problems, { ruleId: 'unknown-variant', severity: 'error', message, file: specsDir }],
    };
  }

  // Before any generated file is read: one from an older build (or edited by hand) is not run.
  const stale = await staleDist(specs, distDir);
  if (stale.length) return { ...noRuns, problems: [...problems, ...stale] };

  // Every generated file is checked before any run, but read only when its run starts: thousands of
  // collections are never in memory at once.
  const client = options.client ?? 'postman';
  const clients = client === 'all' ? (['postman', 'bruno'] as const) : ([client] as const);
  const chosen: Array<Omit<PlannedRun, 'client'>> = [];
  const missing: Problem[] = [];
  for (const spec of specs) {
    const collectionFile = join(distDir, collectionFileName(spec));
    const noCollection = await checkArtifact(collectionFile);
    if (noCollection) {
      missing.push(noCollection);
      continue;
    }
    const variants = spec.variants.filter(
      (v) => !v.key || !options.variants?.length || options.variants.includes(v.key),
    );
    for (const variant of variants) {
      const environmentFile = join(distDir, environmentFileName(spec, variant));
      const noEnvironment = await checkArtifact(environmentFile);
      if (noEnvironment) missing.push(noEnvironment);
      else chosen.push({ spec, variant, collectionFile, environmentFile });
    }
  }
  if (missing.length) return { ...noRuns, problems: [...problems, ...missing] };
  // Before any run: a credentials file that lacks what a run needs stops them all, as a bad -e does.
  let fills = new Map<string, CredentialFill>();
  if (options.credentials && !options.local) {
    const given = (spec: Spec) =>
      new Set([
        ...Object.keys(options.environmentValues ?? {}),
        ...Object.keys(
          valuesFromProcessEnv(
            spec.id,
            spec.variables.map((v) => v.name),
            options.processEnv ?? {},
          ),
        ),
        ...Object.keys(options.envVars ?? {}),
      ]);
    const found = credentialFills(chosen, options.credentials, given);
    if (found.problems.length) return { ...noRuns, problems: [...problems, ...found.problems] };
    fills = found.fills;
  }
  // Every client runs every variant; Bruno's runs come after Newman's, in the same order.
  const planned: PlannedRun[] = clients.flatMap((runner) =>
    chosen.map((run) => ({ ...run, client: runner })),
  );
  const runLabel = (run: PlannedRun) =>
    `${label(run.spec, run.variant)}${run.client === 'bruno' ? ' in Bruno' : ''}`;
  const runs = options.shard ? selectShard(planned, runLabel, options.shard) : planned;

  // Raw reports, client keys and bru's filled environments go to private temporary folders: a
  // missing TMPDIR is said once, before anything runs.
  const needsTemporaryFolder =
    (options.reporters ?? []).some((r) => r !== 'cli') ||
    runs.some((run) => run.client === 'bruno' || usesClientCertificate(run.variant));
  if (needsTemporaryFolder) await checkTemporaryFolder();

  let server = options.server;
  const ownServer = options.local && !server;
  if (ownServer) {
    const { startTokenServer } = await import('../server/index.js');
    // The listener that asks for client certificates only when a run presents one.
    server = await startTokenServer({ mtls: runs.some((run) => usesClientCertificate(run.variant)) });
  }
  // Test values of this call differ from any earlier call's on the same server (tests and
  // programs reuse one server), so registrations never collide.
  const salt = options.server ? randomBytes(3).toString('hex') : '';
  /** A run's environment filled and its token host known; its collection is read when it starts. */
  async function* prepared(): AsyncGenerator<PreparedRun> {
    for (const run of runs) {
      const { spec, variant } = run;
      const environment = await readArtifact<EnvironmentJson>(run.environmentFile);
      if (isProblem(environment)) {
        yield { ...run, problem: environment.message, host: '' };
        continue;
      }
      if (options.local && server) {
        // A client of its own per runner, so the token calls each run counts are its own.
        const setup = localSetup(
          spec,
          variant,
          server.url,
          run.client === 'bruno' ? `${salt}b` : salt,
          server,
        );
        server.register(setup.client);
        const filled = withValues(environment, { ...setup.values, ...options.envVars });
        const host = tokenHost(tokenAddress(variant.token), filled);
        yield {
          ...run,
          environment: filled,
          secrets: secretValues(spec, filled, options.envVars ?? {}),
          clientId: setup.client.clientId,
          host,
          ...(setup.tls ? { tls: { ...setup.tls, host } } : {}),
        };
        continue;
      }
      const names = spec.variables.map((v) => v.name);
      const fromFile = fills.get(fillKey(spec, variant));
      // Rising precedence, as docs/credentials.md lists the sources.
      const values = {
        ...options.environmentValues,
        ...fromFile?.values,
        ...valuesFromProcessEnv(spec.id, names, options.processEnv ?? {}),
        ...options.envVars,
      };
      const filled = withValues(environment, values);
      const host = tokenHost(tokenAddress(variant.token), filled);
      const filledValues = Object.fromEntries(filled.values.map((entry) => [entry.key, entry.value]));
      const tls = clientTlsFromValues(spec, variant, filledValues, host);
      if (tls && 'problem' in tls) {
        yield { ...run, problem: tls.problem, host };
        continue;
      }
      yield {
        ...run,
        environment: filled,
        secrets: [...secretValues(spec, filled, values), ...(fromFile?.secrets ?? [])],
        host,
        ...(tls ? { tls: tls.tls } : {}),
      };
    }
  }
  try {
    // Parallel CI jobs each write their reports into a folder of their own, so artifacts merged
    // from a matrix never overwrite one another.
    const reportersDir = join(
      options.reportersDir ?? 'reports',
      options.shard ? shardName(options.shard) : '',
    );
    const runOptions: VerifyOptions = { ...options, reportersDir };
    const fileReporters = (options.reporters ?? []).filter((r) => r !== 'cli');
    if (fileReporters.length) {
      await makeFolders(reportersDir);
      await checkReportTargets(runs, reportersDir, fileReporters, options.inputs ?? []);
    }
    // Newman's cli reporter writes straight to stdout; runs side by side would interleave their lines.
    const sequential = options.reporters?.includes('cli') === true;
    const keep = options.keepOutcomes !== false;
    const outcomes: VerifyOutcome[] = [];
    const counts = { passed: 0, failed: 0 };
    // Each run leaves a dead script sandbox behind that V8 is slow to free (see collect-garbage.ts).
    const collectGarbage = collectBetweenRuns();
    await runPool(
      prepared(),
      (run) => run.host,
      {
        concurrency: sequential ? 1 : (options.concurrency ?? DEFAULT_CONCURRENCY),
        perKey: options.perHost ?? DEFAULT_PER_HOST,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      async (run) => {
        if (run.problem !== undefined) return failedOutcome(run, run.problem);
        const collection = await readArtifact<Record<string, unknown>>(run.collectionFile);
        if (isProblem(collection)) return failedOutcome(run, collection.message);
        const job: Job = {
          spec: run.spec,
          variant: run.variant,
          collection: withExtraRequests(
            collection,
            options.extraRequests ?? 0,
            tokenItemCount(planSpec(run.spec)),
          ),
          environment: run.environment,
          secrets: run.secrets,
          client: run.client,
          ...(run.clientId === undefined ? {} : { clientId: run.clientId }),
          ...(run.tls ? { tls: run.tls } : {}),
        };
        return run.client === 'bruno'
          ? runBrunoAsOutcome(job, runOptions, server)
          : runJob(job, runOptions, server);
      },
      (outcome, index) => {
        if (outcome.passed) counts.passed += 1;
        else counts.failed += 1;
        if (keep) outcomes[index] = outcome;
        options.onOutcome?.(outcome, index);
        collectGarbage();
      },
    );
    return {
      // Runs an interrupt kept from starting leave holes.
      outcomes: outcomes.filter((outcome) => outcome !== undefined),
      problems,
      counts,
      totalRuns: planned.length,
      ...(server && options.local ? { serverUrl: server.url } : {}),
    };
  } finally {
    if (ownServer && server) await server.close();
  }
}

/**
 * Runs `work` with the client certificate written to private files, removed when it ends, also when
 * it throws or the run is stopped; without a certificate, `work` gets none.
 */
async function withClientTlsFiles<T>(
  tls: ClientTls | undefined,
  work: (files: Awaited<ReturnType<typeof writeClientTlsFiles>> | undefined) => Promise<T>,
): Promise<T> {
  if (!tls) return work(undefined);
  const files = await writeClientTlsFiles(tls);
  try {
    return await work(files);
  } finally {
    await removeClientTlsFiles(files);
  }
}

/** A run that could not start: its generated file went missing or was damaged since the check. */
function failedOutcome(run: PlannedRun, message: string): VerifyOutcome {
  const bruno = run.client === 'bruno';
  return {
    specId: run.spec.id,
    variant: run.variant.key,
    // A Bruno run says so, as its other outcomes do: with --client all both runs of a variant fail.
    label: `${label(run.spec, run.variant)}${bruno ? ' in Bruno' : ''}`,
    passed: false,
    failures: [message],
    assertions: { total: 0, failed: 0 },
    requests: 0,
    durationMs: 0,
    reports: [],
    ...(bruno ? { client: 'bruno' as const } : {}),
  };
}
