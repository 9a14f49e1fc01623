import { planSpec } from '../plan/plan-spec.js';
import type { TokenServer } from '../server/index.js';
import type { Spec, VariantDef } from '../spec/types.js';
import type { EnvironmentJson } from '../targets/postman/generate-environment.js';
import { type CredentialFill, fillKey } from '../values/credential-values.js';
import { secretValues, withValues } from '../values/environment-fill.js';
import { valuesFromProcessEnv } from '../values/environment-values.js';
import type { ClientTls } from './client-certificate-files.js';
import { clientTlsFromValues } from './client-certificate-values.js';
import { type ApiDocuments, localApi } from './local-api.js';
import { localSetup } from './local-credentials.js';
import { isProblem, readArtifact } from './read-artifact.js';
import type { Runner } from './runners.js';
import { type SkippedRequest, skippedRequests } from './select-requests.js';
import { tokenHost } from './token-host.js';
import type { VerifyOptions } from './verify-types.js';

// Each run's values, filled as its turn comes: from the embedded server's test credentials
// (--local), or from what the user gave (flags, an environment file, TOKENMAN_* variables, a
// credentials file), in memory, never on disk; and the host its token requests go to, which the
// pool keeps a vendor's tenant from seeing too many of at once.

/** One collection with one environment to run: small, its files are read when it starts. */
export interface PlannedRun {
  spec: Spec;
  variant: VariantDef;
  runner: Runner;
  collectionFile: string;
  environmentFile: string;
}

/** A planned run with its environment filled and the host its token requests go to. */
export type PreparedRun = PlannedRun & { host: string } & (
    | {
        problem?: undefined;
        environment: EnvironmentJson;
        secrets: string[];
        clientId?: string;
        tls?: ClientTls;
        /** The requests of the spec's API document this run leaves out, and why. */
        skipped: SkippedRequest[];
      }
    | { problem: string; environment?: undefined; secrets?: undefined; clientId?: undefined }
  );

/**
 * The address whose host a run's token requests go to, known before the run: the token URL, or
 * with discovery the issuer's document (the endpoint it names is read only at run time).
 */
function tokenAddress(token: { url: string; discovery: string }): string {
  return token.discovery || token.url;
}

export interface PrepareContext {
  options: VerifyOptions;
  server?: TokenServer | undefined;
  /** Each run's values from the credentials file, by spec and variant. */
  fills: Map<string, CredentialFill>;
  /** Makes this call's test clients differ from any earlier call's on the same server. */
  salt: string;
}

/** Each run's environment filled and its token host known, as its turn comes. */
export async function* prepareRuns(
  runs: readonly PlannedRun[],
  context: PrepareContext,
): AsyncGenerator<PreparedRun> {
  const { options, server, fills, salt } = context;
  const requestsOf = new Map<Spec, ReturnType<typeof planSpec>['requests']>();
  const documents: ApiDocuments = new Map();
  const skippedOf = (spec: Spec, environment: EnvironmentJson) => {
    let requests = requestsOf.get(spec);
    if (!requests) {
      requests = planSpec(spec).requests;
      requestsOf.set(spec, requests);
    }
    const values = Object.fromEntries(environment.values.map((entry) => [entry.key, entry.value]));
    return skippedRequests(spec, requests, {
      local: options.local,
      choice: { operations: options.operations, allowWrites: options.allowWrites },
      values,
    });
  };
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
        `${salt}${run.runner === 'newman' ? '' : run.runner}`,
        server,
      );
      server.register(setup.client);
      // Contract mode: this run's API calls are held to the spec's API document.
      const api = await localApi(spec, setup.values, documents);
      if (api) server.holdToApi(setup.client.clientId, api.contract);
      const filled = withValues(environment, { ...setup.values, ...api?.values, ...options.envVars });
      const host = tokenHost(tokenAddress(variant.token), filled);
      yield {
        ...run,
        environment: filled,
        secrets: secretValues(spec, filled, options.envVars ?? {}),
        clientId: setup.client.clientId,
        host,
        skipped: skippedOf(spec, filled),
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
      skipped: skippedOf(spec, filled),
      ...(tls ? { tls: tls.tls } : {}),
    };
  }
}
