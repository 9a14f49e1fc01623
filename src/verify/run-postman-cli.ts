import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NewmanRunSummary } from 'newman';
import { stringify } from 'yaml';
import type { ClientTlsFiles } from './client-certificate-files.js';
import { credentialsOfRun } from './collect-credentials.js';
import { POSTMAN_CLI_MISSING, postmanCliEnvironment, resolvePostmanCli } from './postman-cli.js';
import { readPostmanCliOutput } from './read-postman-cli-output.js';
import { createRedactor } from './redact.js';
import { createPrivateDir, removePrivateDir } from './reports.js';
import { runProcess } from './run-process.js';

// Runs a generated Postman collection with the real Postman CLI, a child process: the v2.1 file as
// Newman runs it, or the Collection v3 folder, which only the Postman CLI runs. Values (secrets
// included) never reach the generated files nor the command line, which other users of the
// machine can read: they go into a copy of the environment in a private temp folder, removed after
// the run with the CLI's own home.

export interface PostmanCliRunOptions {
  /** The Postman CLI binary; default the one tokenman installs. */
  binary?: string;
  /** What to run: a v2.1 collection (its JSON text), or a Collection v3 folder (its path). */
  collection: { format: 'v2.1'; json: unknown } | { format: 'v3'; folder: string };
  /**
   * The environment with every value filled in: Postman's v2.1 JSON, or for a v3 run the YAML
   * shape the Postman app keeps in Git.
   */
  environment: { format: 'json' | 'yaml'; value: unknown };
  /** Values to blank out of everything returned (secrets, and tokens once known). */
  secrets: readonly string[];
  insecure?: boolean;
  timeoutRequest: number;
  /** Requests or folders to run, by name; default all. */
  include?: string[];
  /** The client certificate of a mutual-TLS run. */
  tls?: ClientTlsFiles;
  /** Where the raw junit and json reports go (a private folder of the caller's); v2.1 runs only. */
  reportFiles?: { junit?: string | undefined; json?: string | undefined };
  signal?: AbortSignal | undefined;
  /** The whole run may take this long before it is stopped; default 5 minutes. */
  timeoutMs?: number;
}

export interface PostmanCliResult {
  exitCode: number;
  /** What the CLI printed, redacted. */
  output: string;
  /** Each failure in words, `request › test: message`, redacted. */
  failures: string[];
  assertions: { total: number; failed: number };
  requests: { total: number; failed: number };
  /** Credentials the run's answers carried (from its json report), to redact its reports with. */
  credentials: string[];
}

/** The CLI's flags for a client certificate: the list form, the one its v3 runs honour. */
async function tlsArgs(dir: string, files: ClientTlsFiles): Promise<string[]> {
  const hostname = new URL(`https://${files.host}`).hostname;
  const list = join(dir, 'client-certificates.json');
  const entry = {
    name: 'tokenman verify client certificate',
    matches: [`https://${hostname}:*/*`, `https://${hostname}/*`],
    key: { src: files.key },
    cert: { src: files.cert },
  };
  await writeFile(list, JSON.stringify([entry]), { mode: 0o600, flag: 'wx' });
  return ['--ssl-client-cert-list', list, ...(files.ca ? ['--ssl-extra-ca-certs', files.ca] : [])];
}

/** One `postman collection run` of a collection with one filled environment. */
export async function runPostmanCli(options: PostmanCliRunOptions): Promise<PostmanCliResult> {
  const binary = options.binary ?? resolvePostmanCli();
  if (!binary) throw new Error(POSTMAN_CLI_MISSING);
  const dir = await createPrivateDir('postman');
  try {
    const home = join(dir, 'home');
    const environmentFile = join(
      dir,
      options.environment.format === 'yaml' ? 'run.environment.yaml' : 'environment.json',
    );
    const text =
      options.environment.format === 'yaml'
        ? stringify(options.environment.value, { lineWidth: 0 })
        : JSON.stringify(options.environment.value);
    await writeFile(environmentFile, text, { mode: 0o600, flag: 'wx' });
    let target: string;
    if (options.collection.format === 'v2.1') {
      target = join(dir, 'collection.json');
      await writeFile(target, JSON.stringify(options.collection.json), { mode: 0o600, flag: 'wx' });
    } else {
      target = options.collection.folder;
    }
    // A v3 run takes the cli reporter alone; a v2.1 run writes Newman's json summary for the counts.
    const json =
      options.collection.format === 'v2.1'
        ? (options.reportFiles?.json ?? join(dir, 'report.json'))
        : undefined;
    const reporters = [
      'cli',
      ...(json ? ['json'] : []),
      ...(json && options.reportFiles?.junit ? ['junit'] : []),
    ];
    const args = [
      'collection',
      'run',
      target,
      '-e',
      environmentFile,
      '-r',
      reporters.join(','),
      ...(json ? ['--reporter-json-export', json, '--reporter-json-structure', 'newman'] : []),
      ...(json && options.reportFiles?.junit ? ['--reporter-junit-export', options.reportFiles.junit] : []),
      '--timeout-request',
      String(options.timeoutRequest),
      // A 307 from a token endpoint would re-send the client secret wherever it points: the script
      // sees the 3xx and names it instead, as in every other runner tokenman drives.
      '--ignore-redirects',
      '--color',
      'off',
      '--disable-unicode',
      ...(options.insecure ? ['--insecure'] : []),
      ...(options.include ?? []).flatMap((name) => ['-i', name]),
      ...(options.tls ? await tlsArgs(dir, options.tls) : []),
    ];
    const run = await runProcess(binary, args, {
      env: postmanCliEnvironment(home),
      timeoutMs: options.timeoutMs ?? 300_000,
      signal: options.signal,
    });
    let summary: NewmanRunSummary | undefined;
    if (json)
      summary = await readFile(json, 'utf8').then(
        (text) => JSON.parse(text) as NewmanRunSummary,
        () => undefined,
      );
    const credentials = summary ? credentialsOfRun(summary) : [];
    const redactor = createRedactor([...options.secrets, ...credentials]);
    const read = readPostmanCliOutput(run.output, summary);
    const failures = read.failures.map((failure) => redactor.text(failure));
    if (run.exitCode !== 0 && failures.length === 0)
      failures.push(`the Postman CLI exited ${run.exitCode}: ${redactor.text(lastLine(run.output))}`);
    return {
      exitCode: run.exitCode,
      output: redactor.text(run.output),
      failures,
      assertions: read.assertions,
      requests: read.requests,
      credentials,
    };
  } finally {
    await removePrivateDir(dir);
  }
}

function lastLine(output: string): string {
  return output.trim().split('\n').filter(Boolean).slice(-1)[0] ?? 'no output';
}
