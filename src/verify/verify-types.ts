import type { CommandInput } from '../emit/output-path.js';
import type { TokenServer } from '../server/index.js';
import type { Problem } from '../spec/problem.js';
import type { OperationSelection } from '../spec/spec-input.generated.js';
import type { CredentialsFile } from '../values/read-credentials-file.js';
import type { ReporterName } from './reports.js';
import type { VerifyClient } from './runners.js';
import type { Shard } from './select-shard.js';

// What verify takes and gives: the library's options, one outcome a run, the result of them all.

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
  /**
   * The operations of the specs' API documents to run (`--operations`, written as `api.include`):
   * default every one locally, and against the vendor those that change nothing (GET, HEAD, OPTIONS) whose
   * path parameters all have values.
   */
  operations?: OperationSelection;
  /** Operations that change data (POST, PUT, PATCH, DELETE) may be sent to the vendor (`--allow-writes`). */
  allowWrites?: boolean;
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
  /**
   * The runners' reporters; default none (tokenman prints its own summary). A `cli` report comes
   * back in each outcome's `output`, redacted: the library prints nothing.
   */
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
  /**
   * Default `postman` (Newman); `postman-cli` runs the v2.1 and the v3 files with the Postman CLI,
   * `bruno` the Bruno collection with `bru run`, `all` every one of them.
   */
  client?: VerifyClient;
  /** The Postman CLI binary to run; default the one tokenman installs (tests run an older one too). */
  postmanCli?: string;
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
  /** The runner, when not Newman: `bruno` (`bru run`), `postman-cli` (v2.1), `postman-cli-v3`. */
  client?: 'bruno' | 'postman-cli' | 'postman-cli-v3';
  /**
   * The operations of the spec's API document this run left out, and why, in one line:
   * `okta: 2 of 7 operations not sent; changes data, --allow-writes sends it: POST /api/v1/users, …`.
   */
  skipped?: string;
  /** The runner's own cli report, redacted, when the `cli` reporter was asked for. */
  output?: string;
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
