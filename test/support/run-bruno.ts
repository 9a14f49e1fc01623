import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { planSpec } from '../../src/plan/plan-spec.js';
import type { ServerStats, TokenServer } from '../../src/server/index.js';
import type { Spec, VariantDef } from '../../src/spec/types.js';
import { brunoCollectionDir, brunoEnvironmentName } from '../../src/targets/bruno/bruno-paths.js';
import { generateBrunoArtifacts } from '../../src/targets/bruno/generate-bruno.js';
import {
  bruTlsArgs,
  removeClientTlsFiles,
  writeClientTlsFiles,
} from '../../src/verify/client-certificate-files.js';
import { localSetup } from '../../src/verify/local-credentials.js';
import { type BruResult, runBru } from '../../src/verify/run-bru.js';

/** Writes a spec's generated Bruno collection under root; its folder. */
export function writeBrunoCollection(spec: Spec, root: string): string {
  for (const artifact of generateBrunoArtifacts(planSpec(spec))) {
    const file = join(root, artifact.fileName);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, artifact.content);
  }
  return join(root, brunoCollectionDir(spec));
}

export function brunoTempRoot(): string {
  return mkdtempSync(join(tmpdir(), 'tokenman-bruno-test-'));
}

export interface BrunoRun extends BruResult {
  clientId: string;
  /** What the server saw from this run's client during this run. */
  stats: ServerStats;
  /** API calls the server saw from anyone (a request sent without a token has no client). */
  allApiCalls: number;
  secretValues: string[];
}

let runs = 0;

/** Runs one variant of a written Bruno collection with the real `bru run` against the embedded server. */
export async function runBrunoCollection(
  spec: Spec,
  variant: VariantDef,
  collectionDir: string,
  server: TokenServer,
  options: { values?: Record<string, string>; paths?: string[]; sandbox?: 'safe' | 'developer' } = {},
): Promise<BrunoRun> {
  runs += 1;
  // A mutual-TLS variant gets a certificate from the server's CA when it was started with mtls.
  const setup = localSetup(spec, variant, server.url, `bru${runs}`, server);
  server.register(setup.client);
  const secretNames = new Set(spec.variables.filter((v) => v.secret).map((v) => v.name));
  const values = { ...setup.values, ...options.values };
  const secretValues = Object.entries(values)
    .filter(([name, value]) => secretNames.has(name) && value)
    .map(([, value]) => value);
  const before = server.stats(setup.client.clientId);
  const allBefore = server.stats().apiCalls;
  const tls = setup.tls
    ? await writeClientTlsFiles({ ...setup.tls, host: new URL(server.mtlsUrl ?? '').host })
    : undefined;
  const result = await runBru({
    collectionDir,
    environmentFile: join(collectionDir, 'environments', `${brunoEnvironmentName(spec, variant)}.yml`),
    values,
    secrets: secretValues,
    ...(options.paths ? { paths: options.paths } : {}),
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    ...(tls ? { extraArgs: bruTlsArgs(tls) } : {}),
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
    allApiCalls: server.stats().apiCalls - allBefore,
    secretValues,
  };
}
