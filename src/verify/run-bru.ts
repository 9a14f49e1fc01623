import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { credentialsOfBruReport } from './collect-credentials.js';
import { createRedactor } from './redact.js';
import { createPrivateDir, removePrivateDir } from './reports.js';
import { runProcess } from './run-process.js';

// Runs a generated Bruno collection with the real `bru run`, the only oracle that proves the files
// run in Bruno. The CLI has no library API (its run command calls process.exit), so it is a child
// process started in the collection's folder, as a user would.

/** The one Bruno version tokenman's files and script are verified against (package.json pins it). */
export const BRUNO_CLI_VERSION = '4.1.0';
export const BRUNO_MISSING = `tokenman verify --client bruno needs @usebruno/cli: npm i -D @usebruno/cli@${BRUNO_CLI_VERSION}`;

export interface BruRunOptions {
  /** The collection's folder (where opencollection.yml is). */
  collectionDir: string;
  /** The generated environment file to run with (its variables, its name). */
  environmentFile: string;
  /** Values for the environment's variables, secrets included; they only reach a private temp file. */
  values: Record<string, string>;
  /** Values to blank out of everything returned (secrets, and tokens once known). */
  secrets: readonly string[];
  insecure?: boolean;
  /** Request files or folders to run, relative to the collection; default every request. */
  paths?: string[];
  /** `safe` (Bruno's default, QuickJS) or `developer` (Node vm). */
  sandbox?: 'safe' | 'developer';
  /** The whole run may take this long before it is stopped; default 5 minutes. */
  timeoutMs?: number;
  /** Stops the run (SIGINT, SIGTERM of verify): bru is killed. */
  signal?: AbortSignal | undefined;
  /** Where bru writes its raw junit and json reports (a private folder of the caller's), if wanted. */
  reportFiles?: { junit?: string | undefined; json?: string | undefined };
  /** More flags for bru run (the client certificate's --client-cert-config and --cacert). */
  extraArgs?: string[];
}

export interface BruResult {
  exitCode: number;
  /** stdout and stderr of the run, redacted. */
  output: string;
  /** Each failure in words, `request › test: message`, redacted. */
  failures: string[];
  assertions: { total: number; failed: number };
  requests: { total: number; failed: number; skipped: number };
  /** The credentials the run received (tokens in answers, cookies set), to redact its reports with. */
  received: string[];
}

/** Where the `bru` command of the installed @usebruno/cli is, or undefined when it is not installed. */
export function resolveBru(): string | undefined {
  for (const from of [import.meta.url, join(process.cwd(), 'package.json')]) {
    try {
      const manifestPath = createRequire(from).resolve('@usebruno/cli/package.json');
      return join(dirname(manifestPath), 'bin', 'bru.js');
    } catch {
      // not installed where this looks; try the next place
    }
  }
  return undefined;
}

interface TestResult {
  description?: string;
  status?: string;
  error?: string;
}
interface RequestResult {
  test?: { filename?: string };
  error?: string | null;
  status?: string;
  skipped?: boolean;
  testResults?: TestResult[];
  preRequestTestResults?: TestResult[];
  postResponseTestResults?: TestResult[];
  assertionResults?: Array<TestResult & { lhsExpr?: string; rhsExpr?: string }>;
}
interface Iteration {
  results?: RequestResult[];
}

function requestLabel(result: RequestResult): string {
  return (result.test?.filename ?? 'request').replace(/\.yml$/, '');
}

/** The outcome of a run from bru's json report. */
export function summariseBruReport(report: unknown): Omit<BruResult, 'exitCode' | 'output' | 'received'> {
  const iterations = (Array.isArray(report) ? report : [report]) as Iteration[];
  const failures: string[] = [];
  const assertions = { total: 0, failed: 0 };
  const requests = { total: 0, failed: 0, skipped: 0 };
  for (const iteration of iterations) {
    for (const result of iteration.results ?? []) {
      requests.total++;
      if (result.skipped || result.status === 'skipped') {
        requests.skipped++;
        continue;
      }
      const name = requestLabel(result);
      let failed = false;
      if (result.error) {
        failures.push(`${name} › ${result.error}`);
        failed = true;
      }
      const tests = [
        ...(result.preRequestTestResults ?? []),
        ...(result.postResponseTestResults ?? []),
        ...(result.testResults ?? []),
        ...(result.assertionResults ?? []),
      ];
      for (const test of tests) {
        assertions.total++;
        if (test.status === 'fail' || test.status === 'error') {
          assertions.failed++;
          failed = true;
          failures.push(`${name} › ${test.description ?? 'test'}: ${test.error ?? 'failed'}`);
        }
      }
      if (failed) requests.failed++;
    }
  }
  return { failures, assertions, requests };
}

/** The environment file with every value filled in, for a private temp folder only. */
async function filledEnvironment(file: string, values: Record<string, string>): Promise<string> {
  const environment = parse(await readFile(file, 'utf8')) as {
    name: string;
    variables: Array<{ name: string; value?: string; secret?: boolean }>;
  };
  // Bruno never reads a secret's value from a file, so the filled copy declares none secret;
  // tokenman redacts every value it returns instead.
  const variables = environment.variables.map(({ name, value }) => ({
    name,
    value: Object.hasOwn(values, name) ? (values[name] ?? '') : (value ?? ''),
  }));
  return stringify({ name: environment.name, variables }, { lineWidth: 0 });
}

/**
 * `bru run` of one collection with one environment. Values (secrets included) never reach the
 * generated files nor the command line, which other users of the machine can read: they go into a
 * copy of the environment in a private temp folder (mode 0700), removed afterwards with the report.
 */
export async function runBru(options: BruRunOptions): Promise<BruResult> {
  const bru = resolveBru();
  if (!bru || !existsSync(bru)) throw new Error(BRUNO_MISSING);
  // Made and removed as every private folder is, so a second Ctrl+C (which exits at once) still
  // removes it with the values it holds, and one a kill leaves is swept by the next run.
  const privateDir = await createPrivateDir('bru');
  try {
    const environmentFile = join(privateDir, 'environment.yml');
    const reportFile = options.reportFiles?.json ?? join(privateDir, 'report.json');
    await writeFile(environmentFile, await filledEnvironment(options.environmentFile, options.values), {
      mode: 0o600,
    });
    const args = [
      'run',
      ...(options.paths ?? []),
      '--env-file',
      environmentFile,
      '--reporter-json',
      reportFile,
    ];
    if (options.reportFiles?.junit) args.push('--reporter-junit', options.reportFiles.junit);
    if (options.sandbox) args.push('--sandbox', options.sandbox);
    if (options.insecure) args.push('--insecure');
    if (options.extraArgs) args.push(...options.extraArgs);
    const dir = resolve(options.collectionDir);
    const run = await runProcess(process.execPath, [bru, ...args], {
      cwd: dir,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      timeoutMs: options.timeoutMs ?? 300_000,
      signal: options.signal,
    });
    let report: unknown;
    try {
      report = JSON.parse(await readFile(reportFile, 'utf8'));
    } catch {
      // No report: bru stopped before running anything (exit 4 not a collection, 6 no environment…).
      const output = createRedactor(options.secrets).text(run.output);
      const reason = output.trim().split('\n').filter(Boolean).slice(-1)[0] ?? 'no output';
      return {
        exitCode: run.exitCode,
        output,
        failures: [`bru run exited ${run.exitCode} without a report: ${reason}`],
        assertions: { total: 0, failed: 0 },
        requests: { total: 0, failed: 0, skipped: 0 },
        received: [],
      };
    }
    // The tokens the run received are secrets too: an API that echoes one puts it in the report.
    const received = credentialsOfBruReport(report);
    const redactor = createRedactor([...options.secrets, ...received]);
    const summary = summariseBruReport(report);
    const failures = summary.failures.map((failure) => redactor.text(failure));
    if (run.exitCode !== 0 && failures.length === 0) failures.push(`bru run exited ${run.exitCode}`);
    return { exitCode: run.exitCode, output: redactor.text(run.output), ...summary, failures, received };
  } finally {
    await removePrivateDir(privateDir);
  }
}
