import { countErrors } from '../../spec/problem.js';
import { parseEnvVarFlags } from '../../values/environment-values.js';
import { escapeUnprintable } from '../../values/printable.js';
import { readCredentialsFile } from '../../values/read-credentials-file.js';
import { readEnvironmentFile } from '../../values/read-environment-file.js';
import { POSTMAN_CLI_MISSING, resolvePostmanCli } from '../../verify/postman-cli.js';
import type { ReporterName } from '../../verify/reports.js';
import { BRUNO_MISSING, resolveBru } from '../../verify/run-bru.js';
import { runnersOf, VERIFY_CLIENTS } from '../../verify/runners.js';
import { parseShard, type Shard } from '../../verify/select-shard.js';
import type { VerifyClient, VerifyOutcome } from '../../verify/verify-collections.js';
import { listenForInterrupt } from '../interrupt.js';
import { numericFlag } from '../numeric-flags.js';
import { operationsFlag } from '../operations-flag.js';
import { printInOrder } from '../print-in-order.js';
import { type OutputFormat, printProblems, problemsJson } from '../print-problems.js';
import { UsageError } from '../usage-error.js';

export interface VerifyFlags {
  specs: string;
  dist: string;
  local?: boolean;
  remote?: boolean;
  envVar: string[];
  environment?: string;
  credentials?: string;
  reporter: string[];
  variant: string[];
  client: string;
  reportersDir: string;
  insecure?: boolean;
  timeoutRequest: string;
  format: OutputFormat;
  quiet?: boolean;
  concurrency: string;
  perHost: string;
  shard?: string;
  operations: string[];
  allowWrites?: boolean;
}

const CREDENTIALS_NOT_LOCAL =
  '--credentials goes with --remote, not --local: the embedded token server makes test credentials of its own, and a real key is sent only to its vendor';

const REPORTERS: readonly ReporterName[] = ['cli', 'junit', 'json'];

function reporterNames(flags: string[]): ReporterName[] {
  const names = flags
    .flatMap((flag) => flag.split(','))
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!REPORTERS.includes(name as ReporterName)) {
      throw new UsageError(`unknown reporter "${name}"; use ${REPORTERS.join(', ')}`);
    }
  }
  return [...new Set(names)] as ReporterName[];
}

/**
 * The client to run, checked: Bruno and the Postman CLI only when installed (an optional peer
 * dependency, an optional dependency).
 */
function clientName(flag: string): VerifyClient {
  if (!VERIFY_CLIENTS.includes(flag as VerifyClient)) {
    throw new UsageError(`--client is "${flag}"; use ${VERIFY_CLIENTS.join(', ')}`);
  }
  const runners = runnersOf(flag as VerifyClient);
  if (runners.includes('bru') && !resolveBru()) throw new UsageError(BRUNO_MISSING);
  if (runners.includes('postman-cli') && !resolvePostmanCli()) throw new UsageError(POSTMAN_CLI_MISSING);
  return flag as VerifyClient;
}

/** Local unless the user gave credentials some way: the issue of `verify` with no flags is a demo. */
function wantsLocal(flags: VerifyFlags): boolean {
  if (flags.local && flags.remote) throw new UsageError('--local and --remote exclude each other');
  if (flags.local && flags.credentials !== undefined) throw new UsageError(CREDENTIALS_NOT_LOCAL);
  if (flags.local) return true;
  if (flags.remote) return false;
  const hasCredentials =
    flags.envVar.length > 0 ||
    flags.environment !== undefined ||
    flags.credentials !== undefined ||
    Object.keys(process.env).some((k) => k.startsWith('TOKENMAN_'));
  return !hasCredentials;
}

function shardOf(value: string | undefined): Shard | undefined {
  if (value === undefined) return undefined;
  const shard = parseShard(value);
  if ('error' in shard) throw new UsageError(shard.error);
  return shard;
}

function describe(outcome: VerifyOutcome): string {
  const seconds = (outcome.durationMs / 1000).toFixed(2);
  const calls = outcome.tokenCalls === undefined ? '' : `, ${outcome.tokenCalls} token call(s)`;
  if (outcome.passed) {
    return `PASS  ${outcome.label}  ${outcome.assertions.total} assertions, ${outcome.requests} requests${calls}, ${seconds} s`;
  }
  const more = outcome.failures.length > 1 ? ` (+${outcome.failures.length - 1} more)` : '';
  // A failure quotes a vendor's words, which may hold escapes that would rewrite the terminal.
  return `FAIL  ${outcome.label}  ${escapeUnprintable(outcome.failures[0] ?? 'failed')}${more}`;
}

export async function verifyCommand(files: string[], flags: VerifyFlags): Promise<number> {
  const local = wantsLocal(flags);
  const client = clientName(flags.client ?? 'postman');
  const parsed = parseEnvVarFlags(flags.envVar);
  if ('error' in parsed) throw new UsageError(parsed.error);
  const timeoutRequest = numericFlag('--timeout-request', flags.timeoutRequest);
  const concurrency = numericFlag('--concurrency', flags.concurrency);
  const perHost = numericFlag('--per-host', flags.perHost);
  const shard = shardOf(flags.shard);
  const operations = operationsFlag(flags.operations ?? []);
  const environment = flags.environment ? await readEnvironmentFile(flags.environment) : undefined;
  if (environment && 'error' in environment) throw new UsageError(environment.error);
  const environmentValues = environment?.values;
  const credentials = flags.credentials ? await readCredentialsFile(flags.credentials) : undefined;
  if (credentials && 'error' in credentials) throw new UsageError(credentials.error);
  const { verifyCollections } = await import('../../verify/verify-collections.js');
  // Private folders a killed run left behind (raw reports, client keys) go before new ones are made.
  const { sweepStalePrivateDirs } = await import('../../verify/reports.js');
  await sweepStalePrivateDirs();
  const inputs = [
    ...(flags.environment ? [{ flag: '-e', path: flags.environment }] : []),
    ...(flags.credentials ? [{ flag: '--credentials', path: flags.credentials }] : []),
  ];
  const text = flags.format === 'text';
  // On a terminal each line appears as its run finishes; in logs they come in a stable order, each
  // as soon as the runs before it have finished. Text output keeps a line per run at most, never the
  // outcomes themselves, so thousands of runs do not add up in memory.
  const streaming = text && !flags.quiet && process.stdout.isTTY === true;
  const inOrder = printInOrder((line) => process.stdout.write(line));
  // Report paths by run, so they are listed in run order too.
  const reports: string[][] = [];
  // Once per variable, not per variant of it.
  const warnings = new Set<string>();
  const skippedSaid = new Set<string>();
  // SIGINT or SIGTERM (Ctrl+C, a CI timeout) stops the runs; the finished ones keep their reports.
  const interrupt = listenForInterrupt();
  const result = await verifyCollections({
    files,
    specsDir: flags.specs,
    distDir: flags.dist,
    local,
    envVars: parsed.values,
    ...(environmentValues ? { environmentValues } : {}),
    ...(credentials ? { credentials } : {}),
    processEnv: process.env,
    reporters: reporterNames(flags.reporter),
    variants: flags.variant
      .flatMap((flag) => flag.split(','))
      .map((key) => key.trim())
      .filter(Boolean),
    reportersDir: flags.reportersDir,
    client,
    insecure: flags.insecure === true,
    timeoutRequest,
    concurrency,
    perHost,
    ...(shard ? { shard } : {}),
    ...(operations ? { operations } : {}),
    allowWrites: flags.allowWrites === true,
    keepOutcomes: !text,
    signal: interrupt.signal,
    inputs,
    onOutcome: (outcome: VerifyOutcome, index: number) => {
      reports[index] = outcome.reports;
      for (const warning of outcome.warnings ?? []) warnings.add(warning);
      if (!text) return;
      // A runner's own cli report (the `cli` reporter), redacted, before tokenman's line for it.
      const report = outcome.output ?? '';
      // What a spec's runs left out, once a spec: its variants and clients leave out alike.
      const skipped =
        outcome.skipped && !flags.quiet && !skippedSaid.has(outcome.specId)
          ? `      ${outcome.skipped}\n`
          : '';
      if (outcome.skipped) skippedSaid.add(outcome.specId);
      const line = `${report}${!flags.quiet || !outcome.passed ? `${describe(outcome)}\n` : ''}${skipped}`;
      if (streaming) process.stdout.write(line);
      else inOrder.put(index, line);
    },
  });
  interrupt.dispose();
  inOrder.flush();
  const stoppedBy = interrupt.received();
  const { passed, failed } = result.counts;
  const ran = passed + failed;
  // A shard with no runs (more shards than runs) is not a failure: the other shards did them all.
  const emptyShard = shard !== undefined && ran === 0 && result.totalRuns > 0;
  // A stopped verify exits as a shell reports a process stopped by that signal (130, 143).
  const code =
    interrupt.exitCode() ?? (countErrors(result.problems) || failed || (ran === 0 && !emptyShard) ? 1 : 0);
  const written = reports.flat();
  const stopped = stoppedBy
    ? `tokenman: stopped by ${stoppedBy}; ${written.length ? `reports of finished runs are in ${flags.reportersDir}/` : 'no report written'}\n`
    : '';
  if (flags.format === 'json') {
    process.stdout.write(
      `${JSON.stringify({ ok: code === 0, local, ...(stoppedBy ? { stoppedBy } : {}), ...problemsJson(result.problems), outcomes: result.outcomes }, null, 2)}\n`,
    );
    process.stderr.write(stopped);
    return code;
  }
  for (const warning of warnings) process.stderr.write(`tokenman: warning: ${warning}\n`);
  await printProblems(result.problems, 'text');
  if (stopped) {
    process.stderr.write(stopped);
    return code;
  }
  if (emptyShard) {
    process.stdout.write(
      `shard ${shard.index}/${shard.count} has no runs: the specs make ${result.totalRuns} run(s) in all\n`,
    );
    return code;
  }
  if (ran === 0) return code;
  if (!flags.quiet && written.length) process.stdout.write(`reports: ${written.join(', ')}\n`);
  if (!flags.quiet && result.serverUrl) {
    process.stdout.write(`against the embedded token server on ${result.serverUrl}\n`);
  }
  process.stdout.write(
    `${passed} passed, ${failed} failed${shard ? ` (shard ${shard.index}/${shard.count})` : ''}\n`,
  );
  return code;
}
