import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type CommandInput, checkOutputFile, makeFolders } from '../emit/output-path.js';
import { planSpec } from '../plan/plan-spec.js';
import { findSpecFiles } from '../spec/find-spec-files.js';
import { loadSpecs } from '../spec/load-specs.js';
import type { Problem } from '../spec/problem.js';
import type { Spec } from '../spec/types.js';
import { collectionFileName, environmentFileName } from '../targets/output-files.js';
import { tokenItemCount } from '../targets/postman/generate-collection.js';
import { type CredentialFill, credentialFills } from '../values/credential-values.js';
import { ambiguousProcessEnv, valuesFromProcessEnv } from '../values/environment-values.js';
import { collectBetweenRuns } from './collect-garbage.js';
import { withExtraRequests } from './extra-requests.js';
import { collectionWithout, notLeftOut } from './leave-out-requests.js';
import { usesClientCertificate } from './local-credentials.js';
import { runNewmanJob } from './newman-job.js';
import { runPostmanCliJob } from './postman-cli-job.js';
import { type PlannedRun, type PreparedRun, prepareRuns } from './prepare-runs.js';
import { checkArtifact, isProblem, readArtifact } from './read-artifact.js';
import { checkTemporaryFolder, type ReporterName, reportPaths } from './reports.js';
import { runBrunoJob } from './run-bruno-job.js';
import { failedOutcome, type RunContext, type RunJob, reportBaseName, runLabel } from './run-job.js';
import { preloadNewman } from './run-newman.js';
import { runPool } from './run-pool.js';
import { type Runner, runnersOf, type VerifyClient } from './runners.js';
import { selectedWrites, skippedLine, unmatchedEntries } from './select-requests.js';
import { type Shard, selectShard, shardName } from './select-shard.js';
import { staleDist } from './stale-dist.js';
import { DEFAULT_CONCURRENCY, DEFAULT_PER_HOST } from './verify-limits.js';
import type { VerifyOptions, VerifyOutcome, VerifyResult } from './verify-types.js';

export type { ReporterName, Shard, VerifyClient, VerifyOptions, VerifyOutcome, VerifyResult };

/** What each runner does with a job. */
const RUN: Readonly<Record<Runner, (job: RunJob, context: RunContext) => Promise<VerifyOutcome>>> = {
  newman: runNewmanJob,
  'postman-cli': runPostmanCliJob,
  'postman-cli-v3': runPostmanCliJob,
  bru: runBrunoJob,
};

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
    const { junit, json } = reportPaths(reportersDir, reportBaseName(run.spec, run.variant, run.runner), [
      ...reporters,
    ]);
    for (const target of [junit, json]) if (target) await checkOutputFile(target, read);
  }
}

/** The problems that stop every run before any starts, with the runs when there are none. */
interface Chosen {
  problems: Problem[];
  runs: Array<Omit<PlannedRun, 'runner'>>;
  fills: Map<string, CredentialFill>;
}

/**
 * The specs' variants to run, each generated file checked before any run (but read only when its
 * run starts: thousands of collections are never in memory at once), and each run's values from
 * the credentials file: one that lacks what a run needs stops them all, as a bad -e does.
 */
async function chooseRuns(specs: Spec[], options: VerifyOptions, distDir: string): Promise<Chosen> {
  const runs: Chosen['runs'] = [];
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
      else runs.push({ spec, variant, collectionFile, environmentFile });
    }
  }
  if (missing.length || !options.credentials || options.local)
    return { problems: missing, runs, fills: new Map() };
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
  const found = credentialFills(runs, options.credentials, given);
  return { problems: found.problems, runs, fills: found.fills };
}

/** What stops every run of these specs before any starts: unknown variants, a stale output folder. */
async function problemsBeforeRuns(
  specs: Spec[],
  options: VerifyOptions,
  distDir: string,
): Promise<Problem[]> {
  if (!options.local) {
    const ambiguous = ambiguousProcessEnv(specs, options.processEnv ?? {});
    if (ambiguous.length) return ambiguous;
  }
  const known = new Set(specs.flatMap((spec) => spec.variants.map((v) => v.key).filter(Boolean)));
  const unknown = (options.variants ?? []).filter((key) => !known.has(key));
  if (unknown.length) {
    const message = `no variant ${unknown.map((k) => `"${k}"`).join(', ')} in these specs; they have: ${[...known].join(', ') || 'none'}`;
    return [{ ruleId: 'unknown-variant', severity: 'error', message, file: options.specsDir ?? 'specs' }];
  }
  const selection = operationProblems(specs, options);
  if (selection.length) return selection;
  // Before any generated file is read: one from an older build (or edited by hand) is not run.
  return staleDist(specs, distDir);
}

/**
 * `--operations` that selects nothing of these specs' documents, or that selects operations that
 * change data for a run against the vendor without `--allow-writes`: nothing is sent.
 */
function operationProblems(specs: Spec[], options: VerifyOptions): Problem[] {
  const selection = options.operations;
  if (!selection) return [];
  const file = options.specsDir ?? 'specs';
  const unmatched = unmatchedEntries(specs, selection);
  if (unmatched.length) {
    const list = unmatched.map((entry) => `${entry.kind}: "${entry.text}"`).join(', ');
    return [
      {
        ruleId: 'operations-select-nothing',
        severity: 'error',
        message: `--operations ${list} selects no operation of these specs' API documents`,
        hint: 'tags and paths as the document writes them; operations as operationIds or METHOD /path',
        file,
      },
    ];
  }
  if (options.local || options.allowWrites) return [];
  return specs.flatMap((spec) => {
    const writes = selectedWrites(spec, selection);
    if (!writes.length) return [];
    const list = writes.map((o) => `${o.method} ${o.path}`);
    const shown =
      list.length > 3 ? `${list.slice(0, 3).join(', ')} and ${list.length - 3} more` : list.join(', ');
    return [
      {
        ruleId: 'operations-change-data',
        severity: 'error' as const,
        message: `--operations selects ${shown} of ${spec.id}, which ${list.length > 1 ? 'change' : 'changes'} data at the vendor; nothing was sent: add --allow-writes to send ${list.length > 1 ? 'them' : 'it'}, or leave ${list.length > 1 ? 'them' : 'it'} out of --operations`,
        file: spec.file,
      },
    ];
  });
}

/**
 * Runs every generated collection with each of its environments through each runner of the client
 * (Newman in this process; the Postman CLI and `bru run` as processes), a few at a time
 * (`concurrency`, `perHost`), each run's files read as it starts and its outcome handed on as it
 * ends, so memory stays flat however many specs there are. Locally, the embedded token server
 * stands in for every vendor; otherwise the user's values fill the environments in memory, never on
 * disk. Nothing is printed: outcomes come back as values.
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
  const stopping = await problemsBeforeRuns(specs, options, distDir);
  if (stopping.length) return { ...noRuns, problems: [...problems, ...stopping] };
  const chosen = await chooseRuns(specs, options, distDir);
  if (chosen.problems.length) return { ...noRuns, problems: [...problems, ...chosen.problems] };

  // Every runner runs every variant, one runner's runs after another's, in the same order.
  const planned: PlannedRun[] = runnersOf(options.client ?? 'postman').flatMap((runner) =>
    chosen.runs.map((run) => ({ ...run, runner })),
  );
  const runs = options.shard
    ? selectShard(planned, (run) => runLabel(run.spec, run.variant, run.runner), options.shard)
    : planned;

  // Raw reports, client keys and the runners' filled environments go to private temporary folders:
  // a missing TMPDIR is said once, before anything runs.
  const needsTemporaryFolder =
    (options.reporters ?? []).some((r) => r !== 'cli') ||
    runs.some((run) => run.runner !== 'newman' || usesClientCertificate(run.variant));
  if (needsTemporaryFolder) await checkTemporaryFolder();

  let server = options.server;
  const ownServer = options.local && !server;
  if (ownServer) {
    const { startTokenServer } = await import('../server/index.js');
    // The listener that asks for client certificates only when a run presents one.
    server = await startTokenServer({ mtls: runs.some((run) => usesClientCertificate(run.variant)) });
  }
  try {
    // Parallel CI jobs each write their reports into a folder of their own, so artifacts merged
    // from a matrix never overwrite one another.
    const reportersDir = join(
      options.reportersDir ?? 'reports',
      options.shard ? shardName(options.shard) : '',
    );
    const context: RunContext = { options: { ...options, reportersDir }, server };
    const fileReporters = (options.reporters ?? []).filter((r) => r !== 'cli');
    if (fileReporters.length) {
      await makeFolders(reportersDir);
      await checkReportTargets(runs, reportersDir, fileReporters, options.inputs ?? []);
    }
    // A cli report is the runner's own output: runs side by side would mix theirs up.
    const sequential = options.reporters?.includes('cli') === true;
    const keep = options.keepOutcomes !== false;
    const outcomes: VerifyOutcome[] = [];
    const counts = { passed: 0, failed: 0 };
    // Each run leaves a dead script sandbox behind that V8 is slow to free (see collect-garbage.ts).
    const collectGarbage = collectBetweenRuns();
    // Test values of this call differ from any earlier call's on the same server (tests and
    // programs reuse one server), so registrations never collide.
    const salt = options.server ? randomBytes(3).toString('hex') : '';
    await runPool(
      prepareRuns(runs, { options, server, fills: chosen.fills, salt }),
      (run) => run.host,
      {
        concurrency: sequential ? 1 : (options.concurrency ?? DEFAULT_CONCURRENCY),
        perKey: options.perHost ?? DEFAULT_PER_HOST,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      async (run: PreparedRun) => {
        if (run.problem !== undefined) return failedOutcome(run, run.problem);
        const collection = await readArtifact<Record<string, unknown>>(run.collectionFile);
        if (isProblem(collection)) return failedOutcome(run, collection.message);
        const leftOut = run.skipped.map((skipped) => skipped.request);
        const filtered = collectionWithout(
          withExtraRequests(collection, options.extraRequests ?? 0, tokenItemCount(planSpec(run.spec))),
          run.spec.id,
          leftOut,
        );
        // The v3 run chooses by name and the Bruno run copies by file: each checks its own.
        if (filtered.notFound.length && (run.runner === 'newman' || run.runner === 'postman-cli'))
          return failedOutcome(run, notLeftOut(filtered.notFound));
        const job: RunJob = {
          spec: run.spec,
          variant: run.variant,
          runner: run.runner,
          collection: filtered.collection,
          ...(leftOut.length ? { leftOut } : {}),
          environment: run.environment,
          secrets: run.secrets,
          ...(run.clientId === undefined ? {} : { clientId: run.clientId }),
          ...(run.tls ? { tls: run.tls } : {}),
        };
        const outcome = await RUN[run.runner](job, context);
        if (run.skipped.length)
          outcome.skipped = skippedLine(run.spec.id, run.skipped, run.spec.api?.operations.length ?? 0);
        return outcome;
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
