import { specArtifacts } from '../../src/pipeline/spec-artifacts.js';
import { planSpec } from '../../src/plan/plan-spec.js';
import type { ClientRegistration, ServerStats, TokenServer } from '../../src/server/index.js';
import type { Spec, VariantDef } from '../../src/spec/types.js';
import { tokenItemCount } from '../../src/targets/postman/generate-collection.js';
import type { EnvironmentJson } from '../../src/targets/postman/generate-environment.js';
import { withValues } from '../../src/values/environment-fill.js';
import {
  newmanTlsOptions,
  removeClientTlsFiles,
  writeClientTlsFiles,
} from '../../src/verify/client-certificate-files.js';
import { withExtraRequests } from '../../src/verify/extra-requests.js';
import { localSetup } from '../../src/verify/local-credentials.js';
import { type NewmanResult, runNewman } from '../../src/verify/run-newman.js';

type Json = Record<string, unknown>;

export interface RunOptions {
  /** Which items run: only the example requests (the script fetches the token), or all. */
  items?: 'api' | 'all';
  /** Copies of the example requests appended to the collection. */
  extra?: number;
  /** Environment values over the test credentials (a wrong secret, say). */
  values?: Record<string, string>;
  /** Registration fields over the test client's (a short lifetime, say). */
  client?: Partial<ClientRegistration>;
  delayRequest?: number;
  timeoutRequest?: number;
  /** Newman's --ignore-redirects, which tokenman verify sets: the script then sees every 3xx. */
  ignoreRedirects?: boolean;
}

export interface RunResult extends NewmanResult {
  clientId: string;
  /** What the server saw from this run's client during this run. */
  stats: ServerStats;
  /** Every failure as one line, for searching. */
  failureText: string;
}

let runs = 0;

/**
 * Builds a spec in memory and runs one variant's collection with real Newman against the given
 * server, the way `tokenman verify --local` does, but with the knobs end-to-end tests need.
 */
export async function runCollection(
  spec: Spec,
  variant: VariantDef,
  server: TokenServer,
  options: RunOptions = {},
): Promise<RunResult> {
  const artifacts = specArtifacts(spec);
  const collection = JSON.parse(artifacts[0]?.content ?? '{}') as Json & { item: Json[] };
  const envIndex = spec.variants.indexOf(variant) + 1;
  const environment = JSON.parse(artifacts[envIndex]?.content ?? '{}') as EnvironmentJson;
  runs += 1;
  // A mutual-TLS variant gets a certificate from the server's CA when it was started with mtls.
  const setup = localSetup(spec, variant, server.url, `run${runs}`, server);
  server.register({ ...setup.client, ...options.client });
  const filled = withValues(environment, { ...setup.values, ...options.values });

  const withExtra = withExtraRequests(
    collection,
    options.extra ?? 0,
    tokenItemCount(planSpec(spec)),
  ) as typeof collection;
  // Only the example requests leave the script to fetch the token itself (no "Get token" first).
  const items =
    options.items === 'api' ? withExtra.item.slice(tokenItemCount(planSpec(spec))) : withExtra.item;
  const runnable = { ...withExtra, item: items };

  const before = server.stats(setup.client.clientId);
  const tls = setup.tls
    ? await writeClientTlsFiles({ ...setup.tls, host: new URL(server.mtlsUrl ?? '').host })
    : undefined;
  const result = await runNewman({
    collection: runnable as never,
    environment: filled as never,
    reporters: [],
    insecure: variant.token.insecure,
    ...(options.delayRequest ? { delayRequest: options.delayRequest } : {}),
    ...(options.ignoreRedirects ? { ignoreRedirects: true } : {}),
    timeoutRequest: options.timeoutRequest ?? 10_000,
    ...(tls ? newmanTlsOptions(tls) : {}),
  }).finally(() => (tls ? removeClientTlsFiles(tls) : undefined));
  const after = server.stats(setup.client.clientId);
  return {
    ...result,
    clientId: setup.client.clientId,
    stats: {
      tokenCalls: after.tokenCalls - before.tokenCalls,
      apiCalls: after.apiCalls - before.apiCalls,
      rejectedApiCalls: after.rejectedApiCalls - before.rejectedApiCalls,
    },
    failureText: result.failures.map((f) => `${f.item} › ${f.test}: ${f.message}`).join('\n'),
  };
}

export async function seedVariants(files: string[], load: (file: string) => Promise<Spec>) {
  const specs = await Promise.all(files.map(load));
  return specs.flatMap((spec) =>
    spec.variants.map((variant) => ({
      spec,
      variant,
      label: variant.key ? `${spec.id} (${variant.key})` : spec.id,
    })),
  );
}
