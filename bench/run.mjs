#!/usr/bin/env node
// tokenman's benchmark: measures, side by side in one run on this machine, what tokenman promises
// about cost (one token per run, a cheap script, fast in-process verification, fast builds and cold
// starts) and prints one table of medians with their min–max spread against each target.
//
// Plain JavaScript on purpose: the project has no TypeScript runner at run time, so this imports the
// compiled library from build/ (`npm run build` first; the `bench` npm script does it).
//
// The report goes to stdout and, whole, to bench/RESULTS.md (replaced each run; `--results FILE` for
// another file, `--no-results` for none), headed by the date, the machine and the command that made it.
//
// A benchmark reports, it does not judge: it exits 0 whatever the figures are, and non-zero only when
// it crashes itself. Failures of tokenman seen on the way (a failed request, a refused token, a bad
// exit code) are listed under the table, since a figure measured on a failing run means little.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  collectionOfN,
  freshClient,
  loadLibrary,
  statsDelta,
  withOneStatementScript,
  withoutScript,
  writeSpecCopies,
} from './fixtures.mjs';
import {
  formatMs,
  formatRatio,
  formatSpread,
  markdownTable,
  runNodeWithPeak,
  runProcess,
  startCountingProxy,
  summarize,
  timed,
} from './measure.mjs';
import { profileSummary } from './profile.mjs';

const PARTS = ['tokens', 'overhead', 'verify', 'build', 'cold', 'verify-scale'];
/** The variant of sap-ai-core that verify-scale runs (see its verifyOnce). */
const VERIFY_SCALE_VARIANT = 'client-secret';

const USAGE = `usage: node bench/run.mjs [--runs N] [--quick] [--profile] [--sweep] [--only PARTS] [--baseline DIR]
                         [--results FILE | --no-results]

  --runs N        repetitions of each measurement (default 5, or 2 with --quick); figures are medians
  --quick         a smoke run: fewer repetitions and smaller N (about a minute)
  --profile       also run the child-process figures once under node --cpu-prof and summarise where
                  their time went; the .cpuprofile files are kept in a temporary folder
  --sweep         also time verify of 50 runs at --concurrency 1, 2, 4, 8 and 16, locally, against a
                  token host 100 ms away, and with API requests 300 ms away (how the default was chosen)
  --only PARTS    measure only these, comma-separated: ${PARTS.join(', ')}
  --baseline DIR  another compiled tokenman checkout (e.g. the previous commit, \`npm run build\` in
                  it): its \`tokenman build\` is timed too, in turns with this one's, so the ratio of
                  the two holds however busy the machine is
  --results FILE  where the report is written as well as printed (default bench/RESULTS.md, replaced)
  --no-results    print the report only
`;

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string' },
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    sweep: { type: 'boolean', default: false },
    only: { type: 'string' },
    baseline: { type: 'string' },
    results: { type: 'string' },
    'no-results': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const quick = flags.quick;
const runs = flags.runs === undefined ? (quick ? 2 : 5) : Number(flags.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 50) {
  process.stderr.write(`--runs must be a whole number from 1 to 50, got ${flags.runs}\n${USAGE}`);
  process.exit(1);
}
const only = new Set(flags.only === undefined ? PARTS : flags.only.split(',').map((part) => part.trim()));
const unknownPart = [...only].find((part) => !PARTS.includes(part));
if (unknownPart !== undefined) {
  process.stderr.write(`--only takes ${PARTS.join(', ')}; got ${unknownPart}\n${USAGE}`);
  process.exit(1);
}
const baselineCli = flags.baseline === undefined ? undefined : join(flags.baseline, 'bin', 'tokenman.js');
if (baselineCli && !existsSync(join(flags.baseline, 'build', 'cli', 'main.js'))) {
  process.stderr.write(
    `--baseline ${flags.baseline} is not a compiled tokenman checkout (no build/cli/main.js)\n`,
  );
  process.exit(1);
}
// The sizes of the targets; --quick shrinks them so a smoke run stays near a minute, which makes its
// figures indicative only (the large-N targets are judged on the default run).
const size = quick
  ? {
      tokenN: [1, 10, 50],
      overheadN: 50,
      overheadRounds: 3,
      specCopies: 200,
      verifyRuns: [10, 50],
      sweepRuns: 20,
    }
  : {
      tokenN: [1, 100, 1000],
      overheadN: 100,
      overheadRounds: 5,
      specCopies: 1000,
      verifyRuns: [10, 100, 1000],
      sweepRuns: 50,
    };

const root = fileURLToPath(new URL('..', import.meta.url));
const seedDir = join(root, 'specs');
const cli = join(root, 'bin', 'tokenman.js');
const newmanCli = join(root, 'node_modules', 'newman', 'bin', 'newman.js');
if (!existsSync(join(root, 'build', 'index.js'))) {
  process.stderr.write('tokenman is not compiled: run `npm run build` first (`npm run bench` does).\n');
  process.exit(1);
}

const rows = [];
const findings = [];
const profiles = [];
const row = (figure, measured, target, met) => rows.push([figure, measured, target, met]);
const yesNo = (ok) => (ok ? 'yes' : 'no');
const log = (message) => process.stderr.write(`bench: ${message}\n`);

const tmp = await mkdtemp(join(os.tmpdir(), 'tokenman-bench-'));
// The environments written for the newman CLI hold the embedded server's throwaway test credentials;
// the folder goes even when the run is interrupted.
process.once('SIGINT', () => {
  rmSync(tmp, { recursive: true, force: true });
  process.exit(130);
});
const profileDir = flags.profile ? await mkdtemp(join(os.tmpdir(), 'tokenman-bench-profiles-')) : undefined;

// Other work on the machine skews every figure; the load average says how busy it was.
const loadAtStart = os.loadavg()[0];
const freeAtStart = os.freemem();
const lib = await loadLibrary();
// With its mutual-TLS listener, for the x509 variants of the verify baseline.
const server = await lib.startTokenServer({ mtls: true });
const started = performance.now();
try {
  const { spec: aiCore, problems } = await lib.loadSpec(join(seedDir, 'sap-ai-core.yaml'));
  if (!aiCore) throw new Error(`specs/sap-ai-core.yaml does not load: ${JSON.stringify(problems)}`);

  if (only.has('tokens')) await benchTokenCalls(aiCore);
  if (only.has('overhead')) await benchScriptOverhead(aiCore);
  if (only.has('verify')) await benchVerify();
  if (only.has('build')) await benchBuildMany();
  if (only.has('cold')) await benchColdStarts();
  if (only.has('verify-scale')) await benchVerifyScale();
} finally {
  await server.close();
  await rm(tmp, { recursive: true, force: true });
}

printReport();

/** Runs one in-memory collection with the library's Newman wrapper and checks the run was clean. */
async function runChecked(label, collection, environment, clientId, variant, expectedRequests) {
  const before = server.stats(clientId);
  const cpuBefore = process.cpuUsage();
  const { ms, value: result } = await timed(() =>
    lib.runNewman({
      collection,
      environment,
      reporters: [],
      insecure: variant.token.insecure,
      timeoutRequest: 10_000,
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  // CPU time of this process (Newman, its sandbox thread and the server): other work on the machine
  // stretches wall time far more than it does this.
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const delta = statsDelta(before, server.stats(clientId));
  const problems = [];
  if (result.failures.length)
    problems.push(`${result.failures.length} failure(s), first: ${JSON.stringify(result.failures[0])}`);
  // Newman counts the script's pm.sendRequest token calls among its requests.
  if (result.requests.total !== expectedRequests + delta.tokenCalls)
    problems.push(
      `Newman ran ${result.requests.total} requests, ${expectedRequests} + ${delta.tokenCalls} token call(s) expected`,
    );
  if (delta.rejectedApiCalls) problems.push(`${delta.rejectedApiCalls} API call(s) refused by the server`);
  if (delta.apiCalls !== expectedRequests)
    problems.push(`the server saw ${delta.apiCalls} API calls, ${expectedRequests} expected`);
  if (problems.length) findings.push(`${label}: ${problems.join('; ')}`);
  return { ms, cpuMs, result, delta, clean: problems.length === 0 };
}

// 1. Token calls: a run of N requests with a token valid for the whole run should fetch it once.
async function benchTokenCalls(spec) {
  const variant = spec.variants[0];
  for (const n of size.tokenN) {
    // A 1000-request run takes about 25 s here and the count it yields does not vary from run to
    // run when nothing fails, so one run keeps the default bench within its five minutes.
    const reps = n >= 1000 ? 1 : runs;
    const calls = [];
    const times = [];
    let clean = true;
    for (let rep = 0; rep < reps; rep += 1) {
      log(`token calls: N=${n}, run ${rep + 1}/${reps}`);
      const { clientId, environment } = freshClient(lib, server, spec, variant, 'calls');
      const run = await runChecked(
        `token calls N=${n}`,
        collectionOfN(lib, spec, n),
        environment,
        clientId,
        variant,
        n,
      );
      calls.push(run.delta.tokenCalls);
      times.push(run.ms);
      clean &&= run.clean;
    }
    const s = summarize(calls);
    row(
      `token endpoint calls, ${spec.id}, N=${n} requests`,
      `${formatSpread(s, String)} [${reps === 1 ? '1 run,' : `${reps} runs, each`} ${formatSpread(summarize(times), formatMs)}]`,
      '1',
      yesNo(clean && s.min === 1 && s.max === 1),
    );
  }
}

// 2. Script overhead of a request a user adds, with the token cached: the same N requests (copies of
// the example requests, without tokenman's own checks) under the generated collection script, and
// under a collection pre-request script of one statement, plain and with the sandbox marker, and
// with no script at all (the token put straight into `Token`, so the server still authorises every
// request). The one-statement script is the floor: what Newman's sandbox charges for running any
// script before each request; the target compares tokenman's script with it. All run in this
// process with the same Newman and server; rotating their order each repetition cancels drift
// (JIT warm-up, GC, CPU clock), and every ratio is taken within one round.
async function benchScriptOverhead(spec) {
  const n = size.overheadN;
  const variant = spec.variants[0];
  const scripted = collectionOfN(lib, spec, n);
  const { clientId, environment } = freshClient(lib, server, spec, variant, 'overhead');
  const target = '≤ 1.05×';
  const targetRow = `${n} added requests, cached token: generated / one-statement pre-request script`;
  // The generated script fetches the token the other variants send, so this works for any dialect.
  const first = await runChecked(
    'overhead warm-up',
    collectionOfN(lib, spec, 1),
    environment,
    clientId,
    variant,
    1,
  );
  const token = first.result.environment[lib.TOKEN_VARIABLES.token];
  if (!token) {
    findings.push('script overhead: the generated script stored no token; figure skipped');
    row(targetRow, 'n/a', target, 'no');
    return;
  }
  const preset = lib.withValues(environment, { [lib.TOKEN_VARIABLES.token]: token });
  // The generated script's run starts where the warm-up left it: a token cached with its expiry.
  const names = lib.TOKEN_VARIABLES;
  const cached = lib.withValues(
    environment,
    Object.fromEntries(
      [names.token, names.expiresAt, names.renewAt].map((name) => [name, first.result.environment[name]]),
    ),
  );
  const variants = {
    scripted: { collection: scripted, environment: cached, label: 'generated script, token cached' },
    floor: {
      collection: withOneStatementScript(scripted),
      environment: preset,
      label: 'one-statement pre-request script, token preset',
    },
    marked: {
      collection: withOneStatementScript(scripted, { marked: true }),
      environment: preset,
      label: 'one-statement pre-request script with the sandbox marker, token preset',
    },
    plain: { collection: withoutScript(scripted), environment: preset, label: 'no script, token preset' },
  };
  // One untimed short run of each, so none pays for first-time compilation.
  for (const v of Object.values(variants)) {
    const small = { ...v.collection, item: v.collection.item.slice(0, 20) };
    await runChecked('overhead warm-up', small, v.environment, clientId, variant, 20);
  }

  const kinds = Object.keys(variants);
  const ms = Object.fromEntries(kinds.map((k) => [k, []]));
  const ratios = { floor: [], marked: [], plain: [], floorPlain: [], markedPlain: [], cpuFloor: [] };
  let clean = true;
  // Many short rounds rather than a few long runs: a burst of other work then skews one round's
  // ratio, which the median drops, rather than one kind's whole figure.
  const rounds = runs * size.overheadRounds;
  for (let rep = 0; rep < rounds; rep += 1) {
    if (rep % size.overheadRounds === 0) log(`script overhead: ${n} requests, round ${rep + 1}/${rounds}`);
    const once = {};
    for (let k = 0; k < kinds.length; k += 1) {
      const kind = kinds[(k + rep) % kinds.length];
      const v = variants[kind];
      const run = await runChecked(
        `overhead, ${v.label}, N=${n}`,
        v.collection,
        v.environment,
        clientId,
        variant,
        n,
      );
      // The generated script's token is the one cached by the warm-up: no call at all is expected.
      if (run.delta.tokenCalls !== 0) {
        clean = false;
        findings.push(`overhead, ${v.label}: ${run.delta.tokenCalls} token call(s), none expected`);
      }
      clean &&= run.clean;
      once[kind] = run.ms;
      once[`${kind}Cpu`] = run.cpuMs;
      ms[kind].push(run.ms);
    }
    ratios.floor.push(once.scripted / once.floor);
    ratios.marked.push(once.scripted / once.marked);
    ratios.plain.push(once.scripted / once.plain);
    ratios.floorPlain.push(once.floor / once.plain);
    ratios.markedPlain.push(once.marked / once.plain);
    ratios.cpuFloor.push(once.scriptedCpu / once.floorCpu);
  }
  const median = (kind) => summarize(ms[kind]).median;
  const perRequest = (kind, base = 'plain') => {
    const ms = (median(kind) - median(base)) / n;
    return `${ms >= 0 ? '+' : '−'}${Math.abs(ms).toFixed(1)} ms per request`;
  };
  for (const kind of kinds)
    row(
      `${n} requests, ${variants[kind].label} (Newman in-process, ${rounds} rounds)`,
      formatSpread(summarize(ms[kind]), formatMs),
      '',
      '',
    );
  const r = summarize(ratios.floor);
  row(
    `${targetRow} (${perRequest('scripted', 'floor')})`,
    formatSpread(r, formatRatio),
    target,
    yesNo(clean && r.median <= 1.05),
  );
  const best = (kind) => summarize(ms[kind]).min;
  row(
    '  same, fastest round of each (other work only ever adds time)',
    formatRatio(best('scripted') / best('floor')),
    '',
    '',
  );
  row(
    '  same, in CPU time of the process rather than wall time',
    formatSpread(summarize(ratios.cpuFloor), formatRatio),
    '',
    '',
  );
  row(
    `  same, against the one-statement script with the marker (${perRequest('scripted', 'marked')})`,
    formatSpread(summarize(ratios.marked), formatRatio),
    '',
    '',
  );
  row(
    `  for scale: generated / no script (${perRequest('scripted')})`,
    formatSpread(summarize(ratios.plain), formatRatio),
    '',
    '',
  );
  row(
    `  for scale: one-statement script / no script (${perRequest('floor')})`,
    formatSpread(summarize(ratios.floorPlain), formatRatio),
    '',
    '',
  );
  row(
    `  for scale: one-statement script with the marker / no script (${perRequest('marked')})`,
    formatSpread(summarize(ratios.markedPlain), formatRatio),
    '',
    '',
  );
  if (profileDir)
    await profileInProcess(`overhead-${n}-scripted`, () =>
      runChecked('profiled run', scripted, cached, clientId, variant, n),
    );
}

// 3. verify: tokenman verify --local runs every collection and environment in one process, in
// parallel; the baseline is what a CI script without tokenman does, one `newman run` process per
// collection and environment, one after another, against the same kind of server.
async function benchVerify() {
  const work = join(tmp, 'verify');
  const specsDir = join(work, 'specs');
  const distDir = join(work, 'dist');
  const envDir = join(work, 'environments');
  // Private copies, so edits to specs/ or dist/ during the run cannot change what is measured.
  await cp(seedDir, specsDir, { recursive: true });
  await mkdir(envDir, { recursive: true });
  const built = await lib.buildSpecs({ specsDir, outDir: distDir });
  if (built.problems.some((p) => p.severity === 'error')) {
    findings.push(`verify: the seed specs do not build: ${built.problems.map((p) => p.message).join('; ')}`);
    return;
  }

  // The CLI baseline's environments, filled with test credentials registered on this process's server.
  const pairs = [];
  for (const spec of built.specs) {
    const artifacts = lib.generateArtifacts(lib.planSpec(spec));
    for (const [i, variant] of spec.variants.entries()) {
      const setup = lib.localSetup(spec, variant, server.url, 'cli', server);
      server.register(setup.client);
      const environment = JSON.parse(await readFile(join(distDir, artifacts[1 + i].fileName), 'utf8'));
      const envPath = join(envDir, artifacts[1 + i].fileName);
      await writeFile(envPath, JSON.stringify(lib.withValues(environment, setup.values)));
      // A variant with a client certificate gets it as a plain `newman run` user gives it: files.
      const tlsArgs = [];
      if (setup.tls) {
        const base = join(envDir, artifacts[1 + i].fileName);
        await writeFile(`${base}.crt`, setup.tls.cert);
        await writeFile(`${base}.key`, setup.tls.key, { mode: 0o600 });
        await writeFile(`${base}.ca.crt`, setup.tls.ca);
        const list = [
          {
            name: 'client',
            matches: ['https://127.0.0.1:*/*'],
            key: { src: `${base}.key` },
            cert: { src: `${base}.crt` },
          },
        ];
        await writeFile(`${base}.certs.json`, JSON.stringify(list));
        tlsArgs.push(
          '--ssl-client-cert-list',
          `${base}.certs.json`,
          '--ssl-extra-ca-certs',
          `${base}.ca.crt`,
        );
      }
      pairs.push({
        label: variant.key ? `${spec.id} (${variant.key})` : spec.id,
        args: [
          newmanCli,
          'run',
          join(distDir, artifacts[0].fileName),
          '-e',
          envPath,
          '--color',
          'off',
          ...(variant.token.insecure ? ['--insecure'] : []),
          ...tlsArgs,
        ],
      });
    }
  }

  let clean = true;
  const failed = (message) => {
    clean = false;
    findings.push(message);
  };
  const measure = {
    async library() {
      const { ms, value } = await timed(() => lib.verifyCollections({ local: true, specsDir, distDir }));
      const bad = value.outcomes.filter((o) => !o.passed);
      if (
        value.problems.some((p) => p.severity === 'error') ||
        bad.length ||
        value.outcomes.length !== pairs.length
      )
        failed(
          `verify (library): ${value.outcomes.length} outcomes, failed: ${bad.map((o) => `${o.label}: ${o.failures[0]}`).join('; ') || 'none'}`,
        );
      return ms;
    },
    async cli() {
      const args = [cli, 'verify', '--local', '--specs', specsDir, '--dist', distDir, '-q'];
      const run = await runProcess(process.execPath, args, { cwd: work });
      if (run.code !== 0)
        failed(`tokenman verify --local exited ${run.code}: ${run.output.trim().slice(-500)}`);
      return run.ms;
    },
    async sequential() {
      let total = 0;
      for (const pair of pairs) {
        const run = await runProcess(process.execPath, pair.args, { cwd: work });
        if (run.code !== 0)
          failed(`newman run ${pair.label} exited ${run.code}: ${run.output.trim().slice(-500)}`);
        total += run.ms;
      }
      return total;
    },
  };
  const kinds = Object.keys(measure);
  const ms = { library: [], cli: [], sequential: [] };
  const ratioLibrary = [];
  const ratioCli = [];
  for (let rep = 0; rep < runs; rep += 1) {
    log(`verify vs newman CLI: run ${rep + 1}/${runs}`);
    const once = {};
    // Rotating the order spreads any drift over all three.
    for (let k = 0; k < kinds.length; k += 1) {
      const kind = kinds[(k + rep) % kinds.length];
      once[kind] = await measure[kind]();
      ms[kind].push(once[kind]);
    }
    ratioLibrary.push(once.library / once.sequential);
    ratioCli.push(once.cli / once.sequential);
  }
  const n = pairs.length;
  row(
    `verify --local, ${n} runs: library, in-process, parallel (Newman already loaded)`,
    formatSpread(summarize(ms.library), formatMs),
    '',
    '',
  );
  row(
    `verify --local, ${n} runs: \`tokenman verify --local\` as a new process`,
    formatSpread(summarize(ms.cli), formatMs),
    '',
    '',
  );
  row(
    `\`newman run\` × ${n}, one process each, sequential`,
    formatSpread(summarize(ms.sequential), formatMs),
    '',
    '',
  );
  const rl = summarize(ratioLibrary);
  const rc = summarize(ratioCli);
  row(
    'verify: library / sequential newman CLI',
    formatSpread(rl, formatRatio),
    '≤ 0.3×',
    yesNo(clean && rl.median <= 0.3),
  );
  row(
    'verify: `tokenman verify` process / sequential newman CLI',
    formatSpread(rc, formatRatio),
    '≤ 0.3×',
    yesNo(clean && rc.median <= 0.3),
  );
  if (profileDir) {
    await profile(
      'verify-local',
      [cli, 'verify', '--local', '--specs', specsDir, '--dist', distDir, '-q'],
      work,
    );
    await profile('newman-run-one', pairs[0].args, work);
  }
}

// 4. verify at scale: `tokenman verify --remote` over 10, 100 and 1000 copies of one seed spec (one
// run each), all against one tenant: this process's embedded server behind a proxy that holds each
// token request 100 ms, as a vendor's token endpoint might, and counts how many are in flight. Each
// verify is a new process, so its peak RSS is its own.
async function benchVerifyScale() {
  const work = join(tmp, 'verify-scale');
  const client = { clientId: 'sb-bench!b1|tokenman!b2', clientSecret: 'bench-secret-3f9a' };
  server.register({ ...client, grants: ['client_credentials'] });
  const tokenHost = await startCountingProxy(server.url, { delayMs: 100 });
  const slowApi = await startCountingProxy(server.url, { delayMs: 300 });
  const env = {
    ...process.env,
    NO_COLOR: '1',
    TOKENMAN_AUTH_URL: tokenHost.url,
    TOKENMAN_AI_API_URL: server.url,
    TOKENMAN_DEPLOYMENT_ID: 'd-bench',
    TOKENMAN_CLIENT_ID: client.clientId,
    TOKENMAN_CLIENT_SECRET: client.clientSecret,
  };
  const prepared = new Map();
  /** A folder of `n` copies of sap-ai-core, built once. */
  async function copies(n) {
    if (prepared.has(n)) return prepared.get(n);
    const dir = join(work, `copies-${n}`);
    await writeSpecCopies(seedDir, join(dir, 'specs'), n, ['sap-ai-core']);
    const built = await lib.buildSpecs({ specsDir: join(dir, 'specs'), outDir: join(dir, 'dist') });
    if (built.problems.some((p) => p.severity === 'error'))
      throw new Error(
        `copies of sap-ai-core do not build: ${built.problems.map((p) => p.message).join('; ')}`,
      );
    prepared.set(n, dir);
    return dir;
  }
  /**
   * One verify of `n` runs as a new process: wall, peak RSS, most token requests in flight. `mode`:
   * remote (the token host above), slow (its API requests also held 300 ms, as an LLM or a busy
   * tenant answers) or local (`--local`, the embedded server inside the verify process, no latency).
   */
  async function verifyOnce(n, extra = [], mode = 'remote') {
    const dir = await copies(n);
    tokenHost.reset();
    const target = mode === 'local' ? ['--local'] : ['--remote'];
    const runEnv =
      mode === 'local'
        ? { ...process.env, NO_COLOR: '1' }
        : mode === 'slow'
          ? { ...env, TOKENMAN_AI_API_URL: slowApi.url }
          : env;
    // One run a copy: the client-secret variant only. Its x509 variant needs a client certificate
    // from the service key, which the proxy standing in for the tenant cannot take over TLS.
    const run = await runNodeWithPeak(
      [
        cli,
        'verify',
        ...target,
        '--specs',
        join(dir, 'specs'),
        '--dist',
        join(dir, 'dist'),
        '--variant',
        VERIFY_SCALE_VARIANT,
        '-q',
        ...extra,
      ],
      // A run takes about half a second on a quiet machine and twice that on a busy one.
      { cwd: dir, env: runEnv, tmpFile: join(dir, 'peak.txt'), timeoutMs: Math.max(900_000, n * 3_000) },
    );
    const summary = /(\d+) passed, (\d+) failed/.exec(run.output);
    const tokens = mode === 'local' ? n : tokenHost.counts.total;
    const clean = run.code === 0 && summary?.[1] === String(n) && tokens === n;
    if (!clean)
      findings.push(
        `verify (${mode}) of ${n} runs ${extra.join(' ')}: exit ${run.code}${run.timedOut ? ' (timed out)' : ''}, ${tokens} token requests for ${n} runs: ${run.output.trim().slice(-400)}`,
      );
    return { ms: run.ms, peakMb: run.peakMb, peakVia: run.peakVia, most: tokenHost.counts.most, clean };
  }
  try {
    const peaks = new Map();
    let peakVia = '';
    for (const n of size.verifyRuns) {
      // A 1000-run verify takes minutes; one run of it is the figure.
      const reps = n >= 1000 ? 1 : Math.min(runs, 3);
      const wall = [];
      const peak = [];
      let most = 0;
      let clean = true;
      for (let rep = 0; rep < reps; rep += 1) {
        log(`verify of ${n} runs: run ${rep + 1}/${reps}`);
        const once = await verifyOnce(n);
        wall.push(once.ms);
        peak.push(once.peakMb);
        most = Math.max(most, once.most);
        clean &&= once.clean;
        peakVia = once.peakVia;
      }
      // A verify that did not finish cleanly has no peak to compare.
      peaks.set(n, clean ? summarize(peak).median : Number.NaN);
      const w = summarize(wall);
      row(
        `verify --remote, ${n} runs${reps === 1 ? '' : ` (${reps} runs each)`}: wall [per run]`,
        `${formatSpread(w, formatMs)} [${formatMs(w.median / n)}]`,
        '',
        '',
      );
      row(
        `verify --remote, ${n} runs: peak RSS (${peakVia})`,
        formatSpread(summarize(peak), (mb) => `${mb.toFixed(0)} MB`),
        '',
        '',
      );
      row(
        `verify --remote, ${n} runs: most token requests in flight`,
        String(most),
        '≤ 8',
        yesNo(clean && most <= 8),
      );
    }
    const smallest = size.verifyRuns[0];
    for (const n of size.verifyRuns.slice(1)) {
      const ratio = (peaks.get(n) ?? Number.NaN) / (peaks.get(smallest) ?? Number.NaN);
      row(
        `verify peak RSS: ${n} runs / ${smallest} runs`,
        formatRatio(ratio),
        '≤ 1.5×',
        yesNo(Number.isFinite(ratio) && ratio <= 1.5),
      );
    }
    if (flags.sweep) {
      const n = size.sweepRuns;
      const modes = {
        local: '--local (no latency)',
        remote: 'token host 100 ms',
        slow: 'token host 100 ms, API 300 ms',
      };
      for (const [mode, label] of Object.entries(modes)) {
        for (const concurrency of [1, 2, 4, 8, 16]) {
          const wall = [];
          const peak = [];
          let most = 0;
          const reps = Math.min(runs, 2);
          for (let rep = 0; rep < reps; rep += 1) {
            log(`verify (${mode}) of ${n} runs at --concurrency ${concurrency}: run ${rep + 1}/${reps}`);
            const once = await verifyOnce(n, ['--concurrency', String(concurrency)], mode);
            wall.push(once.ms);
            peak.push(once.peakMb);
            most = Math.max(most, once.most);
          }
          row(
            `verify, ${n} runs, ${label}, --concurrency ${concurrency}: wall; peak RSS${mode === 'local' ? '' : '; most in flight'}`,
            `${formatSpread(summarize(wall), formatMs)}; ${summarize(peak).median.toFixed(0)} MB${mode === 'local' ? '' : `; ${most}`}`,
            '',
            '',
          );
        }
      }
    }
  } finally {
    await tokenHost.close();
    await slowApi.close();
  }
}

// 5. A large build: copies of the seed specs, built by the CLI as a new process, timed with its peak RSS
// and CPU time, side by side with its floor, the same files written from memory by one process
// (write-floor.mjs), and followed by a rebuild of the same folder with nothing changed. Each round
// runs the floor and the build (with its rebuild) in turns, first one then the other, and the ratios
// are taken within the round, so a burst of other work skews one round rather than one figure.
// With --baseline, the other checkout builds the same specs in each round too.
async function benchBuildMany() {
  const count = size.specCopies;
  const work = join(tmp, 'build');
  const specsDir = join(work, 'specs');
  await writeSpecCopies(seedDir, specsDir, count);
  const { specs: seeds } = await lib.loadSpecs(
    (await readdir(seedDir)).filter((f) => f.endsWith('.yaml')).map((f) => join(seedDir, f)),
  );
  // Every file a build writes: Postman collection and environments, the docs page, the Bruno folder.
  const perSeed = seeds.map((s) => [...lib.generateArtifacts(lib.planSpec(s))].length);
  const expectedFiles = Array.from({ length: count }, (_, i) => perSeed[i % perSeed.length]).reduce(
    (a, b) => a + b,
    0,
  );
  const floorScript = fileURLToPath(new URL('./write-floor.mjs', import.meta.url));
  const filesIn = async (dir) =>
    existsSync(dir)
      ? (await readdir(dir, { recursive: true, withFileTypes: true })).filter((f) => f.isFile()).length
      : 0;
  const builds = [
    ...(baselineCli ? [{ name: 'baseline', cli: baselineCli }] : []),
    { name: 'this', cli },
  ].map((build) => ({
    ...build,
    wall: [],
    peak: [],
    cpu: [],
    rebuildWall: [],
    rebuildPeak: [],
    rebuildCpu: [],
    toFloor: [],
    cpuToFloor: [],
    rebuildToBuild: [],
    clean: true,
    rebuildClean: true,
  }));
  const floor = { wall: [], cpu: [], bytes: 0, clean: true };
  let peakVia = '';
  /** A full build into a new folder, then a rebuild of it with nothing changed; the folder is kept. */
  async function buildAndRebuild(build, rep) {
    log(`build of ${count} specs (${build.name}): run ${rep + 1}/${runs}`);
    const outDir = join(work, `out-${build.name}`);
    await rm(outDir, { recursive: true, force: true });
    const run = await runNodeWithPeak([build.cli, 'build', '--specs', specsDir, '--out', outDir, '-q'], {
      cwd: work,
      tmpFile: join(work, 'peak.txt'),
    });
    const written = await filesIn(outDir);
    if (run.code !== 0 || written !== expectedFiles) {
      build.clean = false;
      findings.push(
        `build of ${count} specs (${build.name}): exit ${run.code}, ${written} files written, ${expectedFiles} expected: ${run.output.trim().slice(-500)}`,
      );
    }
    build.wall.push(run.ms);
    build.peak.push(run.peakMb);
    build.cpu.push(run.cpuMs);
    peakVia = run.peakVia;
    // Not quiet: its summary line says how many files it wrote, which must be none.
    const again = await runNodeWithPeak([build.cli, 'build', '--specs', specsDir, '--out', outDir], {
      cwd: work,
      tmpFile: join(work, 'peak.txt'),
    });
    const summary = /(\d+) spec\(s\): (\d+) written, (\d+) unchanged, (\d+) removed/.exec(again.output);
    const nothingWritten = summary?.[2] === '0' && summary[3] === String(expectedFiles) && summary[4] === '0';
    if (again.code !== 0 || !nothingWritten) {
      build.rebuildClean = false;
      findings.push(
        `rebuild of ${count} specs with nothing changed (${build.name}): exit ${again.code}, expected 0 written and ${expectedFiles} unchanged: ${again.output.trim().slice(-300)}`,
      );
    }
    build.rebuildWall.push(again.ms);
    build.rebuildPeak.push(again.peakMb);
    build.rebuildCpu.push(again.cpuMs);
    build.rebuildToBuild.push(again.ms / run.ms);
    return { outDir, ms: run.ms, cpuMs: run.cpuMs };
  }
  /** The same files written from memory by one process, from a build's output into a new folder. */
  async function writeFloor(from) {
    log(`floor: writing the files of ${count} specs from memory`);
    const to = join(work, 'floor');
    await rm(to, { recursive: true, force: true });
    const run = await runProcess(process.execPath, [floorScript, from, to], { cwd: work });
    let result;
    try {
      result = JSON.parse(run.output.trim().split('\n').pop() ?? '');
    } catch {
      result = undefined;
    }
    if (run.code !== 0 || result?.files !== expectedFiles) {
      floor.clean = false;
      findings.push(`floor write: exit ${run.code}: ${run.output.trim().slice(-300)}`);
    }
    await rm(to, { recursive: true, force: true });
    floor.bytes = result?.bytes ?? 0;
    return { ms: result?.ms ?? Number.NaN, cpuMs: result?.cpuMs ?? Number.NaN };
  }
  // The floor writes what a build wrote: one build first, untimed, gives it its files.
  const first = await buildAndRebuild(builds[builds.length - 1], -1);
  for (const build of builds) {
    for (const list of ['wall', 'peak', 'cpu', 'rebuildWall', 'rebuildPeak', 'rebuildCpu', 'rebuildToBuild'])
      build[list].length = 0;
  }
  const source = join(work, 'floor-source');
  await rm(source, { recursive: true, force: true });
  await cp(first.outDir, source, { recursive: true });
  for (let rep = 0; rep < runs; rep += 1) {
    // Turns: the floor first in even rounds, last in odd ones.
    const floorFirst = rep % 2 === 0;
    let floorRun = floorFirst ? await writeFloor(source) : undefined;
    const ran = [];
    for (const build of builds) ran.push([build, await buildAndRebuild(build, rep)]);
    if (!floorFirst) floorRun = await writeFloor(source);
    floor.wall.push(floorRun.ms);
    floor.cpu.push(floorRun.cpuMs);
    for (const [build, run] of ran) {
      build.toFloor.push(run.ms / floorRun.ms);
      build.cpuToFloor.push(run.cpuMs / floorRun.cpuMs);
    }
  }
  const mb = (value) => `${value.toFixed(0)} MB`;
  row(
    `floor: the same ${expectedFiles} files (${(floor.bytes / 1e6).toFixed(0)} MB) written from memory by one process, wall`,
    formatSpread(summarize(floor.wall), formatMs),
    '',
    '',
  );
  row(
    'floor: CPU time of the writing process (user + system)',
    formatSpread(summarize(floor.cpu), formatMs),
    '',
    '',
  );
  const ours = builds[builds.length - 1];
  for (const build of builds) {
    const who = build === ours ? '' : ` (baseline: ${flags.baseline})`;
    const judged = build === ours;
    const ratio = summarize(build.toFloor);
    const peak = summarize(build.peak);
    const again = summarize(build.rebuildToBuild);
    row(
      `\`tokenman build\` of ${count} specs (${expectedFiles} files), wall${who}`,
      formatSpread(summarize(build.wall), formatMs),
      '',
      '',
    );
    if (build.cpu.every(Number.isFinite))
      row(
        `\`tokenman build\` of ${count} specs, CPU time of all threads (user + system)${who}`,
        formatSpread(summarize(build.cpu), formatMs),
        '',
        '',
      );
    row(
      `\`tokenman build\` of ${count} specs / floor, wall, round by round${who}`,
      formatSpread(ratio, formatRatio),
      judged ? '≤ 1.5×' : '',
      judged ? yesNo(build.clean && floor.clean && ratio.median <= 1.5) : '',
    );
    if (build.cpuToFloor.every(Number.isFinite))
      row(`  same, in CPU time${who}`, formatSpread(summarize(build.cpuToFloor), formatRatio), '', '');
    row(
      `\`tokenman build\` of ${count} specs, peak RSS (${peakVia})${who}`,
      formatSpread(peak, mb),
      judged ? '< 200 MB' : '',
      judged ? yesNo(build.clean && peak.max < 200) : '',
    );
    row(
      `rebuild of ${count} specs with nothing changed (0 files written), wall${who}`,
      formatSpread(summarize(build.rebuildWall), formatMs),
      '',
      '',
    );
    if (build.rebuildCpu.every(Number.isFinite))
      row(
        `rebuild with nothing changed, CPU time of all threads${who}`,
        formatSpread(summarize(build.rebuildCpu), formatMs),
        '',
        '',
      );
    row(
      `rebuild with nothing changed, peak RSS${who}`,
      formatSpread(summarize(build.rebuildPeak), mb),
      '',
      '',
    );
    row(
      `rebuild with nothing changed / full build, wall, round by round${who}`,
      formatSpread(again, formatRatio),
      judged ? '≤ 0.25×' : '',
      judged ? yesNo(build.clean && build.rebuildClean && again.median <= 0.25) : '',
    );
  }
  if (baselineCli) {
    const ratios = ours.wall.map((ms, i) => ms / builds[0].wall[i]);
    row(
      '`tokenman build` wall: this / baseline, run by run',
      formatSpread(summarize(ratios), formatRatio),
      '',
      '',
    );
  }
  if (profileDir) {
    await profile(
      `build-${count}`,
      [cli, 'build', '--specs', specsDir, '--out', join(work, 'out-profile'), '-q'],
      work,
    );
    await profile(
      `rebuild-${count}`,
      [cli, 'build', '--specs', specsDir, '--out', join(work, 'out-profile'), '-q'],
      work,
    );
  }
}

// 6. Cold starts: a new process each time, as a user or CI step starts it. Bare `node` is measured
// alongside, since it is the floor no CLI can go below on this machine.
async function benchColdStarts() {
  const work = join(tmp, 'cold');
  await mkdir(work, { recursive: true });
  const commands = [
    { label: '`node -e 0` (floor: Node itself)', args: ['-e', '0'], target: '' },
    { label: '`tokenman --help`', args: [cli, '--help'], target: '≤ 0.25 s' },
    {
      label: '`tokenman build specs/sap-ai-core.yaml -q`',
      args: [cli, 'build', join(seedDir, 'sap-ai-core.yaml'), '--out', join(work, 'out'), '-q'],
      target: '≤ 0.25 s',
    },
  ];
  for (const command of commands) {
    // One untimed start first, so every timed one finds the files in the page cache alike.
    await runProcess(process.execPath, command.args, { cwd: work });
    const times = [];
    let clean = true;
    for (let rep = 0; rep < runs; rep += 1) {
      const run = await runProcess(process.execPath, command.args, { cwd: work });
      if (run.code !== 0) {
        clean = false;
        findings.push(`${command.label} exited ${run.code}: ${run.output.trim().slice(-300)}`);
      }
      times.push(run.ms);
    }
    log(`cold start: ${command.label} done`);
    const s = summarize(times);
    row(
      `cold start, ${command.label}`,
      formatSpread(s, formatMs),
      command.target,
      command.target ? yesNo(clean && s.median <= 250) : '',
    );
  }
  if (profileDir) {
    await profile('help', [cli, '--help'], work);
    await profile('build-one', commands[2].args, work);
  }
}

/** Runs a command once under --cpu-prof and keeps the summary of where its time went. */
async function profile(name, args, cwd) {
  const dir = join(profileDir, name);
  await mkdir(dir, { recursive: true });
  const run = await runProcess(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, ...args], { cwd });
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  for (const file of files) {
    const path = join(dir, file);
    profiles.push({
      name,
      path,
      exit: run.code,
      summary: profileSummary(JSON.parse(await readFile(path, 'utf8'))),
    });
  }
}

/** Profiles an in-process run with the inspector, as --cpu-prof does for a child process. */
async function profileInProcess(name, fn) {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    await fn();
    const { profile: data } = await session.post('Profiler.stop');
    const path = join(profileDir, `${name}.cpuprofile`);
    await writeFile(path, JSON.stringify(data));
    profiles.push({ name, path, exit: 0, summary: profileSummary(data) });
  } finally {
    session.disconnect();
  }
}

/** The command as it was typed: `npm run bench …` when npm started it, else `node bench/run.mjs …`. */
function commandLine() {
  const quote = (arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);
  const args = process.argv.slice(2).map(quote).join(' ');
  if (process.env.npm_lifecycle_event === 'bench') return `npm run bench${args ? ` -- ${args}` : ''}`;
  return `node ${relative(process.cwd(), fileURLToPath(import.meta.url)) || 'bench/run.mjs'}${args ? ` ${args}` : ''}`;
}

/** The operating system by name where it says one (/etc/os-release), then its kernel and architecture. */
function operatingSystem() {
  let name = '';
  try {
    name = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '';
  } catch {
    // Not Linux, or a system without the file: the kernel alone.
  }
  const kernel = `${os.type()} ${os.release()}, ${os.arch()}`;
  return name ? `${name} (${kernel})` : kernel;
}

function printReport() {
  const memGb = (bytes) => `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  const resultsFile = flags['no-results']
    ? undefined
    : resolve(flags.results ?? join(root, 'bench', 'RESULTS.md'));
  const guide = resultsFile
    ? relative(join(resultsFile, '..'), join(root, 'docs', 'performance.md'))
    : 'docs/performance.md';
  const out = [];
  out.push('# tokenman benchmark results');
  out.push('');
  out.push(
    'Written by `npm run bench` (`bench/run.mjs`), which replaces this file on every run. What each',
    `figure measures and why its target is what it is: [docs/performance.md](${guide}). Each figure`,
    'is the median of several runs with the min–max spread in brackets; other work on the machine',
    'stretches and spreads every wall time, so read the figures with the load average below.',
  );
  if (quick || flags.only !== undefined) {
    out.push('');
    if (quick)
      out.push(
        '**A smoke run (`--quick`):** smaller N and fewer repetitions than the targets are set for, so its',
        'figures are indicative only; the large-N targets are judged on a full `npm run bench`.',
      );
    if (flags.only !== undefined)
      out.push(`**A partial run:** only ${[...only].join(', ')} measured (\`--only\`).`);
  }
  out.push('');
  out.push('## The run');
  out.push('');
  out.push(`- command: \`${commandLine()}\``);
  out.push(`- date: ${new Date(Date.now() - (performance.now() - started)).toISOString()}`);
  out.push(
    `- machine: ${cpu}, ${os.availableParallelism()} cores, ${memGb(os.totalmem())} of memory (${memGb(freeAtStart)} free at the start)`,
  );
  out.push(`- operating system: ${operatingSystem()}`);
  out.push(`- Node.js: ${process.version}`);
  out.push(`- load average (1 min) at the start: ${loadAtStart.toFixed(2)} (near 0 on an idle machine)`);
  out.push(
    `- runs per figure: ${runs} (median, min–max in brackets); the bench took ${formatMs(performance.now() - started)}`,
  );
  out.push('');
  out.push('## Figures');
  out.push('');
  out.push(markdownTable(['figure', 'measured', 'target', 'met'], rows));
  out.push('');
  if (findings.length) {
    const unique = [...new Set(findings)];
    out.push(`## Failures seen while measuring (${unique.length} distinct)`);
    out.push('');
    // The same failure repeats each run; once is enough to read it.
    for (const f of unique) out.push(`- ${f}`);
  } else {
    out.push(
      'Every measured run was clean: no failed request or test, no refused API call, every exit code 0.',
    );
  }
  if (profiles.length) {
    out.push('');
    out.push(`## CPU profiles (kept in ${profileDir})`);
    for (const p of profiles) {
      out.push('');
      out.push(`### ${p.name} (exit ${p.exit}, ${formatMs(p.summary.totalMs)} sampled): ${p.path}`);
      out.push(`- packages seen: ${p.summary.packages.join(', ') || 'none'}`);
      out.push(`- self time by origin: ${p.summary.top.map(([k, v]) => `${k} ${formatMs(v)}`).join(', ')}`);
    }
  }
  const report = `${out.join('\n')}\n`;
  process.stdout.write(report);
  if (resultsFile) {
    writeFileSync(resultsFile, report);
    log(`wrote ${relative(process.cwd(), resultsFile) || resultsFile}`);
  }
}
