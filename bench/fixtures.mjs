// What the benchmark runs: collections of N requests built in memory from a spec, and copies of the
// seed specs for the large build. Everything is built from tokenman's compiled library in build/.
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const lib = (path) => new URL(`../build/${path}`, import.meta.url).href;

/** The compiled modules the benchmark uses; a missing build/ is reported by the caller. */
export async function loadLibrary() {
  const [index, extra, collection, fill, local, newman] = await Promise.all([
    import(lib('index.js')),
    import(lib('verify/extra-requests.js')),
    import(lib('targets/postman/generate-collection.js')),
    import(lib('values/environment-fill.js')),
    import(lib('verify/local-credentials.js')),
    import(lib('verify/run-newman.js')),
  ]);
  return {
    ...index,
    withExtraRequests: extra.withExtraRequests,
    tokenItemCount: collection.tokenItemCount,
    withValues: fill.withValues,
    localSetup: local.localSetup,
    runNewman: newman.runNewman,
  };
}

/**
 * One variant's generated collection cut to exactly `n` API requests standing for requests a user
 * adds: copies of the example requests (as `verify --extra-requests` makes) without the test script
 * tokenman gives its own examples, and without the "Get token" items, so every token the run needs
 * is fetched by the collection's own pre-request script and each request runs that script alone.
 */
export function collectionOfN(lib, spec, n) {
  const plan = lib.planSpec(spec);
  const artifacts = lib.generateArtifacts(plan);
  const collection = JSON.parse(artifacts[0].content);
  // The "Get token" requests come first: one a variant, or one folder of them.
  const firstExample = lib.tokenItemCount(plan);
  const examples = collection.item.length - firstExample;
  const grown = lib.withExtraRequests(collection, Math.max(0, n - examples), firstExample);
  const added = grown.item.slice(firstExample, firstExample + n).map(({ event: _checks, ...item }) => item);
  return { ...grown, item: added };
}

/** The same collection with no collection-level script: requests only carry the bearer `{{Token}}`. */
export function withoutScript(collection) {
  const { event: _scripts, ...rest } = collection;
  return rest;
}

/**
 * The sandbox's marker that skips its legacy globals (see the top of the token script). Written
 * here rather than read from the script, so the floor stays one statement whatever the script says.
 */
export const SANDBOX2_MARKER = "'use sandbox2';";

/**
 * The same collection with the generated script swapped for a pre-request script of one statement,
 * the cheapest collection script there is: what Newman's sandbox charges for running any script
 * before each request, the floor tokenman's script is compared with. `marked` puts the sandbox
 * marker first, so the floor is measured both as a plain script and as one that skips the legacy
 * setup as tokenman's does: the difference is what the marker alone buys.
 */
export function withOneStatementScript(collection, { marked = false } = {}) {
  const statement = 'pm.environment.get("Token");';
  return {
    ...collection,
    event: [
      {
        listen: 'prerequest',
        script: { type: 'text/javascript', exec: marked ? [SANDBOX2_MARKER, statement] : [statement] },
      },
    ],
  };
}

/** The variant's generated environment (as JSON), filled later with local test values. */
export function environmentOf(lib, spec, variant) {
  const artifacts = lib.generateArtifacts(lib.planSpec(spec));
  return JSON.parse(artifacts[1 + spec.variants.indexOf(variant)].content);
}

let clients = 0;

/**
 * Registers a fresh test client for the variant on the server and returns its filled environment.
 * A fresh salt per call gives a new client id, so each run's token calls are counted on their own.
 */
export function freshClient(lib, server, spec, variant, label) {
  clients += 1;
  const setup = lib.localSetup(spec, variant, server.url, `${label}${clients}`);
  server.register(setup.client);
  const environment = lib.withValues(environmentOf(lib, spec, variant), setup.values);
  return { clientId: setup.client.clientId, environment };
}

/** Server counters of one client between two readings. */
export function statsDelta(before, after) {
  return {
    tokenCalls: after.tokenCalls - before.tokenCalls,
    apiCalls: after.apiCalls - before.apiCalls,
    rejectedApiCalls: after.rejectedApiCalls - before.rejectedApiCalls,
  };
}

/**
 * Writes `count` copies of the seed specs (or of those named in `only`, e.g. ['sap-ai-core']) into
 * `dir`, cycling through the seeds: file names `<seed>-0042.yaml` (the file name is the spec's id,
 * so each copy builds its own files) and a numbered `name`, so no two collections share a name either.
 */
export async function writeSpecCopies(seedDir, dir, count, only) {
  await mkdir(dir, { recursive: true });
  // The API documents the seed specs name (api.openapi), relative to them.
  if (existsSync(join(seedDir, 'apis')))
    await cp(join(seedDir, 'apis'), join(dir, 'apis'), { recursive: true });
  const seedFiles = (await readdir(seedDir))
    .filter((f) => f.endsWith('.yaml') && (!only || only.includes(f.slice(0, -5))))
    .sort();
  const seeds = await Promise.all(
    seedFiles.map(async (file) => ({
      id: file.slice(0, -5),
      text: await readFile(join(seedDir, file), 'utf8'),
    })),
  );
  const width = String(count - 1).length < 4 ? 4 : String(count - 1).length;
  for (let i = 0; i < count; i += 1) {
    const seed = seeds[i % seeds.length];
    const number = String(i).padStart(width, '0');
    const text = seed.text.replace(
      /^name: (["']?)(.*?)\1[ \t]*$/m,
      (_, quote, name) => `name: ${quote}${name} ${number}${quote}`,
    );
    if (text === seed.text) throw new Error(`seed spec ${seed.id} has no top-level name: line to renumber`);
    await writeFile(join(dir, `${seed.id}-${number}.yaml`), text);
  }
  return { seeds: seeds.length };
}
