// What the token script costs a request a user adds, counted in real Newman runs against the
// embedded token server on 127.0.0.1: one script execution, of a script the sandbox runs without
// its legacy globals, while the requests tokenman generates keep their checks.

import { createRequire } from 'node:module';
import newman from 'newman';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { specArtifacts } from '../../src/pipeline/spec-artifacts.js';
import { planSpec } from '../../src/plan/plan-spec.js';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import type { Spec } from '../../src/spec/types.js';
import { tokenItemCount } from '../../src/targets/postman/generate-collection.js';
import type { EnvironmentJson } from '../../src/targets/postman/generate-environment.js';
import { withValues } from '../../src/values/environment-fill.js';
import { localSetup, usesClientCertificate } from '../../src/verify/local-credentials.js';
import { seedVariants } from '../support/run-collection.js';
import { loadValidSpec, seedSpecFiles } from '../support/specs.js';

type Json = Record<string, unknown>;
interface Item extends Json {
  id: string;
  name: string;
  event?: Array<{ listen: string; script: { exec: string[] } }>;
  request: { url: unknown; method: string };
  /** A folder's requests (several variants' "Get token", or an API document's tag). */
  item?: Item[];
}

/** The requests of some items, folders opened. */
function requestItems(items: Item[]): Item[] {
  return items.flatMap((item) => (item.item ? requestItems(item.item) : [item]));
}
interface Collection extends Json {
  item: Item[];
  event?: Array<{ listen: string; script: { exec: string[] } }>;
}
interface Run {
  /** The script events each item ran, by item id, in order. */
  scripts: Map<string, string[]>;
  /** Every assertion: its name and whether it passed. */
  assertions: Array<{ item: string; name: string; passed: boolean }>;
  environment: Record<string, string>;
}

// Mutual-TLS variants need the runner's client certificate options, which these runs do not
// pass; test/e2e/mutual-tls-faults.test.ts and test/cli/verify-mtls.test.ts run them.
const variants = (await seedVariants(seedSpecFiles, loadValidSpec)).filter(
  ({ variant }) => !usesClientCertificate(variant),
);
let server: TokenServer;
beforeAll(async () => {
  server = await startTokenServer();
});
afterAll(async () => {
  await server.close();
});

/** Runs a collection in Newman, recording each script execution from the run's own events. */
function runCounting(collection: Collection, environment: EnvironmentJson, insecure: boolean): Promise<Run> {
  const scripts = new Map<string, string[]>();
  const assertions: Run['assertions'] = [];
  return new Promise((resolve, reject) => {
    newman
      .run(
        { collection: collection as never, environment: environment as never, reporters: [], insecure },
        (error, summary) => {
          if (error) return reject(error);
          const scope = summary.environment as unknown as { toObject(): Record<string, string> };
          resolve({ scripts, assertions, environment: scope.toObject() });
        },
      )
      .on('script', (_error, args: { event: { listen: string }; item: { id: string } }) => {
        scripts.set(args.item.id, [...(scripts.get(args.item.id) ?? []), args.event.listen]);
      })
      .on('assertion', (error, args: { assertion: string; item: { id: string } }) => {
        assertions.push({ item: args.item.id, name: args.assertion, passed: !error });
      });
  });
}

/** The generated collection and the variant's environment, filled with this server's test client. */
function generated(spec: Spec, variant: Spec['variants'][number], label: string) {
  const artifacts = specArtifacts(spec);
  const collection = JSON.parse(artifacts[0]?.content ?? '{}') as Collection;
  const envIndex = spec.variants.indexOf(variant) + 1;
  const environment = JSON.parse(artifacts[envIndex]?.content ?? '{}') as EnvironmentJson;
  const setup = localSetup(spec, variant, server.url, label);
  server.register(setup.client);
  return { collection, environment: withValues(environment, setup.values), clientId: setup.client.clientId };
}

describe.each(variants)('$label', ({ spec, variant }) => {
  test("a request a user adds runs one script with the token cached; tokenman's own requests keep their checks", async () => {
    const { collection, environment, clientId } = generated(spec, variant, 'cost');
    // The collection runs no test script of its own: it would run after every request a user adds.
    expect((collection.event ?? []).map((event) => event.listen)).toEqual(['prerequest']);
    const examples = requestItems(collection.item.slice(tokenItemCount(planSpec(spec))));
    const example = examples[0];
    if (!example) throw new Error(`${spec.id} has no example request`);
    // What a user adds in Postman: a request and nothing else, after the generated ones.
    const added: Item = {
      id: 'added-by-a-user',
      name: 'A request of my own',
      request: { method: example.request.method, url: example.request.url },
    };
    // A name that every object has as a key must not pass for a "Get token" request's.
    const odd: Item = { ...added, id: 'named-constructor', name: 'constructor' };
    const before = server.stats(clientId);
    const run = await runCounting(
      { ...collection, item: [...collection.item, added, odd] },
      environment,
      variant.token.insecure,
    );
    const after = server.stats(clientId);

    expect(run.scripts.get(added.id)).toEqual(['prerequest']);
    expect(run.scripts.get(odd.id)).toEqual(['prerequest']);
    expect(run.assertions.filter((a) => !a.passed)).toEqual([]);
    // The "Get token" request of this variant checks the answer and stores the token it carries...
    const tokenItems = collection.item.flatMap((item) => item.item ?? [item]);
    const tokenItem = tokenItems[spec.variants.indexOf(variant)];
    expect(run.scripts.get(tokenItem?.id ?? '')).toEqual(['prerequest', 'test']);
    expect(run.assertions.filter((a) => a.item === tokenItem?.id).map((a) => a.name)).toEqual(
      expect.arrayContaining(['token endpoint answers 2xx', 'token_type says bearer (any case)']),
    );
    // ...and every example request checks its status; the one added by a user checks nothing.
    for (const item of examples) {
      expect(run.scripts.get(item.id)).toEqual(['prerequest', 'test']);
      expect(run.assertions.filter((a) => a.item === item.id).map((a) => a.name)).toEqual([
        expect.stringMatching(/^answers (2xx|HTTP \d{3}) with the token$/),
      ]);
    }
    expect(run.assertions.filter((a) => a.item === added.id)).toEqual([]);
    // One token for the run, from the visible request; every API request authorised with it.
    expect(after.tokenCalls - before.tokenCalls).toBe(1);
    expect(after.apiCalls - before.apiCalls).toBe(examples.length + 2);
    expect(after.rejectedApiCalls - before.rejectedApiCalls).toBe(0);
  });
});

// The marker only helps as the first 15 characters of the script the sandbox receives.
const sandboxMarker = createRequire(import.meta.url)(
  'postman-sandbox/lib/sandbox/non-legacy-codemarkers.js',
) as { isNonLegacySandbox(code: string): boolean | undefined };

test('every script tokenman writes starts with the marker that skips the sandbox legacy globals', async () => {
  for (const { spec } of variants) {
    const collection = JSON.parse(specArtifacts(spec)[0]?.content ?? '{}') as Collection;
    // The token script, the check of each "Get token" request (or of their folder) and of each
    // request that uses the token; a folder of an API document's tag carries none.
    const everyItem = (items: Item[]): Item[] =>
      items.flatMap((item) => [item, ...everyItem(item.item ?? [])]);
    const scripts = [
      ...(collection.event ?? []),
      ...everyItem(collection.item).flatMap((item) => item.event ?? []),
    ];
    const plan = planSpec(spec);
    expect(scripts.length).toBe(1 + tokenItemCount(plan) + plan.requests.length);
    for (const event of scripts)
      expect(sandboxMarker.isNonLegacySandbox(event.script.exec.join('\n'))).toBe(true);
  }
});

test("in Newman, the legacy globals are absent from tokenman's script and present without the marker", async () => {
  const { spec, variant } = variants[0] ?? {};
  if (!spec || !variant) throw new Error('no seed spec');
  const { collection, environment } = generated(spec, variant, 'marker');
  const prerequest = collection.event?.[0];
  if (!prerequest) throw new Error('no pre-request script');
  // A last line that reports what the sandbox put in the script's scope; the token script itself
  // reads none of these.
  const probe = "pm.environment.set('LegacyProbe', typeof CryptoJS + ' ' + typeof postman);";
  const probed = (exec: string[]): Collection => ({
    ...collection,
    item: collection.item.slice(spec.variants.length, spec.variants.length + 1),
    event: [{ ...prerequest, script: { ...prerequest.script, exec: [...exec, probe] } }],
  });
  const marked = await runCounting(probed(prerequest.script.exec), environment, variant.token.insecure);
  expect(marked.assertions.filter((a) => !a.passed)).toEqual([]);
  expect(marked.environment.LegacyProbe).toBe('undefined undefined');
  const unmarked = await runCounting(
    probed(prerequest.script.exec.slice(1)),
    environment,
    variant.token.insecure,
  );
  expect(unmarked.environment.LegacyProbe).toBe('object object');
});
