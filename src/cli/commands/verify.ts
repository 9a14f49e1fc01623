import { parseEnvVarFlags } from '../../verify/environment-values.js';
import { readEnvironmentFile } from '../../verify/read-environment-file.js';
import type { ReporterName } from '../../verify/reports.js';
import { BRUNO_MISSING, resolveBru } from '../../verify/run-bru.js';
import type { VerifyClient, VerifyOutcome } from '../../verify/verify-collections.js';
import { listenForInterrupt } from '../interrupt.js';
import { countErrors, type OutputFormat, printProblems, problemsJson } from '../print-problems.js';
import { UsageError } from '../usage-error.js';

export interface VerifyFlags {
  specs: string;
  dist: string;
  local?: boolean;
  remote?: boolean;
  envVar: string[];
  environment?: string;
  reporter: string[];
  variant: string[];
  client: string;
  reportersDir: string;
  insecure?: boolean;
  timeoutRequest: string;
  format: OutputFormat;
  quiet?: boolean;
}

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

const CLIENTS: readonly VerifyClient[] = ['postman', 'bruno', 'all'];

/** The client to run, checked; Bruno only when its CLI is installed (an optional peer dependency). */
function clientName(flag: string): VerifyClient {
  if (!CLIENTS.includes(flag as VerifyClient)) {
    throw new UsageError(`--client is "${flag}"; use ${CLIENTS.join(', ')}`);
  }
  if (flag !== 'postman' && !resolveBru()) throw new UsageError(BRUNO_MISSING);
  return flag as VerifyClient;
}

/** Local unless the user gave credentials some way: the issue of `verify` with no flags is a demo. */
function wantsLocal(flags: VerifyFlags): boolean {
  if (flags.local && flags.remote) throw new UsageError('--local and --remote exclude each other');
  if (flags.local) return true;
  if (flags.remote) return false;
  const hasCredentials =
    flags.envVar.length > 0 ||
    flags.environment !== undefined ||
    Object.keys(process.env).some((k) => k.startsWith('TOKENMAN_'));
  return !hasCredentials;
}

function describe(outcome: VerifyOutcome): string {
  const seconds = (outcome.durationMs / 1000).toFixed(2);
  const calls = outcome.tokenCalls === undefined ? '' : `, ${outcome.tokenCalls} token call(s)`;
  if (outcome.passed) {
    return `PASS  ${outcome.label}  ${outcome.assertions.total} assertions, ${outcome.requests} requests${calls}, ${seconds} s`;
  }
  const more = outcome.failures.length > 1 ? ` (+${outcome.failures.length - 1} more)` : '';
  return `FAIL  ${outcome.label}  ${outcome.failures[0] ?? 'failed'}${more}`;
}

export async function verifyCommand(files: string[], flags: VerifyFlags): Promise<number> {
  const local = wantsLocal(flags);
  const client = clientName(flags.client ?? 'postman');
  const parsed = parseEnvVarFlags(flags.envVar);
  if ('error' in parsed) throw new UsageError(parsed.error);
  const timeoutRequest = Number(flags.timeoutRequest);
  if (!Number.isInteger(timeoutRequest) || timeoutRequest <= 0) {
    throw new UsageError(`--timeout-request takes milliseconds, got "${flags.timeoutRequest}"`);
  }
  const environment = flags.environment ? await readEnvironmentFile(flags.environment) : undefined;
  if (environment && 'error' in environment) throw new UsageError(environment.error);
  const environmentValues = environment?.values;
  const { verifyCollections } = await import('../../verify/verify-collections.js');
  const streaming = flags.format === 'text' && !flags.quiet && process.stdout.isTTY === true;
  // SIGINT or SIGTERM (Ctrl+C, a CI timeout) stops the runs; the finished ones keep their reports.
  const interrupt = listenForInterrupt();
  const result = await verifyCollections({
    files,
    specsDir: flags.specs,
    distDir: flags.dist,
    local,
    envVars: parsed.values,
    ...(environmentValues ? { environmentValues } : {}),
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
    signal: interrupt.signal,
    // On a terminal each line appears as its run finishes; in logs they come in a stable order.
    ...(streaming
      ? { onOutcome: (outcome: VerifyOutcome) => process.stdout.write(`${describe(outcome)}\n`) }
      : {}),
  });
  interrupt.dispose();
  const stoppedBy = interrupt.received();
  const failed = result.outcomes.filter((o) => !o.passed).length;
  // A stopped verify exits as a shell reports a process stopped by that signal (130, 143).
  const code =
    interrupt.exitCode() ?? (countErrors(result.problems) || failed || result.outcomes.length === 0 ? 1 : 0);
  const reports = result.outcomes.flatMap((o) => o.reports);
  const stopped = stoppedBy
    ? `tokenman: stopped by ${stoppedBy}; ${reports.length ? `reports of finished runs are in ${flags.reportersDir}/` : 'no report written'}\n`
    : '';
  if (flags.format === 'json') {
    process.stdout.write(
      `${JSON.stringify({ ok: code === 0, local, ...(stoppedBy ? { stoppedBy } : {}), ...problemsJson(result.problems), outcomes: result.outcomes }, null, 2)}\n`,
    );
    process.stderr.write(stopped);
    return code;
  }
  // Once per variable, not per variant of it.
  for (const warning of new Set(result.outcomes.flatMap((o) => o.warnings ?? []))) {
    process.stderr.write(`tokenman: warning: ${warning}\n`);
  }
  await printProblems(result.problems, 'text');
  if (result.outcomes.length === 0) return code;
  if (!streaming) {
    for (const outcome of result.outcomes) {
      if (!flags.quiet || !outcome.passed) process.stdout.write(`${describe(outcome)}\n`);
    }
  }
  if (stopped) {
    process.stderr.write(stopped);
    return code;
  }
  if (!flags.quiet && reports.length) process.stdout.write(`reports: ${reports.join(', ')}\n`);
  if (!flags.quiet && result.serverUrl) {
    process.stdout.write(`against the embedded token server on ${result.serverUrl}\n`);
  }
  const passed = result.outcomes.length - failed;
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return code;
}
