#!/usr/bin/env node
// What a spec's API document costs a build, measured on this machine and printed as one table:
//
// - `tokenman build` of Okta's spec with its whole management API (732 operations) against the
//   same spec without `api`, and the time to parse the document alone; targets: at most 1 s, and
//   at most twice the spec without `api` plus the parse;
// - `tokenman build` of a spec whose document has 10,000 operations (generated here, of the shape
//   and size of Microsoft Graph's) selecting one tag; targets: at most 3 s and 400 MB.
//
// Each build is a new process (`node bin/tokenman.js build`), timed with its peak RSS and CPU time,
// the builds taken in turns so a busy machine weighs on all alike; figures are medians with their
// min–max spread. In process, the same spec's stages are timed apart (load: the spec and its
// document; plan; the targets' files), so a figure over its target shows whose time it is. Like bench/run.mjs it reports and does not judge: it exits 0 whatever the figures,
// and imports the compiled library (`npm run build` first). `node bench/api.mjs [--runs N]`.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatMs, formatSpread, markdownTable, runNodeWithPeak, summarize } from './measure.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'tokenman.js');
const { values: flags } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Math.max(1, Number(flags.runs) || 5);
const log = (line) => process.stderr.write(`${line}\n`);

/** A document of `count` operations over 200 models that refer to each other in a ring, 100 tags. */
export function generatedDocument(count) {
  const models = 200;
  const doc = {
    openapi: '3.0.3',
    info: { title: 'generated', version: '1' },
    servers: [{ url: 'https://api.example.com/v1' }],
    tags: Array.from({ length: 100 }, (_, t) => ({ name: `tag${t}` })),
    paths: {},
    components: { schemas: {} },
  };
  for (let s = 0; s < models; s++) {
    doc.components.schemas[`Model${s}`] = {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        name: { type: 'string', maxLength: 64 },
        count: { type: 'integer', minimum: 0 },
        ref: { $ref: `#/components/schemas/Model${(s + 1) % models}` },
        tags: { type: 'array', items: { type: 'string' } },
      },
    };
  }
  const schema = (p) => ({ $ref: `#/components/schemas/Model${p % models}` });
  const json = (p) => ({ 'application/json': { schema: schema(p) } });
  let operations = 0;
  for (let p = 0; operations < count; p++) {
    const tags = [`tag${p % 100}`];
    const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
    const item = {
      get: {
        operationId: `get${p}`,
        tags,
        parameters: [id, { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100 } }],
        responses: { 200: { description: 'ok', content: json(p) } },
      },
    };
    operations++;
    if (operations < count) {
      item.put = {
        operationId: `put${p}`,
        tags,
        parameters: [id],
        requestBody: { required: true, content: json(p) },
        responses: { 200: { description: 'ok', content: json(p) } },
      };
      operations++;
    }
    doc.paths[`/r${p}/{id}`] = item;
  }
  return doc;
}

async function main() {
  const lib = await import(join(root, 'build', 'index.js')).catch(() => {
    throw new Error('tokenman is not compiled: run `npm run build` first');
  });
  const { parseDocumentText } = await import(join(root, 'build', 'api', 'parse-document.js'));
  const { specArtifacts } = await import(join(root, 'build', 'pipeline', 'spec-artifacts.js'));
  const tmp = await mkdtemp(join(os.tmpdir(), 'tokenman-bench-api-'));
  try {
    const specs = join(tmp, 'specs');
    await mkdir(join(specs, 'apis', 'generated'), { recursive: true });
    const okta = await readFile(join(root, 'specs', 'okta.yaml'), 'utf8');
    const oktaDocument = join(root, 'specs', 'apis', 'okta', 'management-minimal.yaml');
    const withoutApi = okta.replace(/\napi:\n[\s\S]*$/, '\n');
    // Every operation: the seed spec's include taken away.
    await writeFile(
      join(specs, 'okta-api.yaml'),
      `${withoutApi}api:\n  openapi: ${JSON.stringify(oktaDocument)}\n  baseUrl: "{{OktaDomain}}"\n`,
    );
    await writeFile(join(specs, 'okta-plain.yaml'), withoutApi);
    const generated = generatedDocument(10_000);
    await writeFile(join(specs, 'apis', 'generated', 'openapi.json'), JSON.stringify(generated));
    await writeFile(
      join(specs, 'big.yaml'),
      `${withoutApi}api:\n  openapi: apis/generated/openapi.json\n  include: {tags: [tag7]}\n`,
    );
    const loaded = await lib.loadSpec(join(specs, 'okta-api.yaml'));
    const big = await lib.loadSpec(join(specs, 'big.yaml'));
    const errors = [...loaded.problems, ...big.problems].filter((p) => p.severity === 'error');
    if (errors.length)
      throw new Error(`the bench specs do not load: ${errors.map((p) => p.message).join('; ')}`);
    const counts = {
      okta: loaded.spec.api.operations.length,
      big: Object.values(generated.paths).reduce((n, item) => n + Object.keys(item).length, 0),
      selected: big.spec.api.operations.length,
    };

    const text = await readFile(oktaDocument, 'utf8');
    const parse = [];
    const stages = { load: [], plan: [], targets: [], plainLoad: [] };
    const figures = { 'okta-api': [], 'okta-plain': [], big: [] };
    for (let run = 0; run < runs; run++) {
      for (const name of Object.keys(figures)) {
        log(`build ${name}: run ${run + 1}/${runs}`);
        const out = join(tmp, `out-${name}-${run}`);
        const result = await runNodeWithPeak(
          [cli, 'build', '--specs', specs, '--out', out, '-q', join(specs, `${name}.yaml`)],
          {
            cwd: tmp,
            tmpFile: join(tmp, 'peak.txt'),
          },
        );
        if (result.code !== 0) throw new Error(`build ${name} failed: ${result.output.slice(-800)}`);
        figures[name].push(result);
      }
      let started = performance.now();
      parseDocumentText(text, oktaDocument);
      parse.push(performance.now() - started);
      started = performance.now();
      const { spec } = await lib.loadSpec(join(specs, 'okta-api.yaml'));
      stages.load.push(performance.now() - started);
      started = performance.now();
      lib.planSpec(spec);
      stages.plan.push(performance.now() - started);
      started = performance.now();
      specArtifacts(spec);
      stages.targets.push(performance.now() - started);
      started = performance.now();
      await lib.loadSpec(join(specs, 'okta-plain.yaml'));
      stages.plainLoad.push(performance.now() - started);
    }

    const wall = (name) => summarize(figures[name].map((r) => r.ms));
    const cpu = (name) => summarize(figures[name].map((r) => r.cpuMs));
    const peak = (name) => summarize(figures[name].map((r) => r.peakMb));
    const mb = (value) => `${value.toFixed(0)} MB`;
    const yes = (ok) => (ok ? 'yes' : 'NO');
    const withApi = wall('okta-api').median;
    const bound = 2 * (wall('okta-plain').median + summarize(parse).median);
    const rows = [
      [
        `build of okta with its API (${counts.okta} operations), wall`,
        formatSpread(wall('okta-api'), formatMs),
        '≤ 1 s',
        yes(withApi <= 1000),
      ],
      ['the same, CPU time of all threads', formatSpread(cpu('okta-api'), formatMs), '', ''],
      ['build of okta without api, wall', formatSpread(wall('okta-plain'), formatMs), '', ''],
      [
        'parse of its API document alone (3.4 MB YAML, in process)',
        formatSpread(summarize(parse), formatMs),
        '',
        '',
      ],
      [
        'build with API ÷ (without + parse)',
        `${(withApi / (bound / 2)).toFixed(2)}×`,
        '≤ 2×',
        yes(withApi <= bound),
      ],
      ['build with API, peak RSS', formatSpread(peak('okta-api'), mb), '', ''],
      [
        '… in process: load (spec, then its API document)',
        formatSpread(summarize(stages.load), formatMs),
        '',
        '',
      ],
      [
        '… in process: load of the spec without api',
        formatSpread(summarize(stages.plainLoad), formatMs),
        '',
        '',
      ],
      ['… in process: plan', formatSpread(summarize(stages.plan), formatMs), '', ''],
      [
        '… in process: the targets’ files (Postman, Bruno, docs)',
        formatSpread(summarize(stages.targets), formatMs),
        '',
        '',
      ],
      [
        `build of a ${counts.big}-operation document, one tag (${counts.selected}), wall`,
        formatSpread(wall('big'), formatMs),
        '≤ 3 s',
        yes(wall('big').median <= 3000),
      ],
      ['the same, CPU time of all threads', formatSpread(cpu('big'), formatMs), '', ''],
      ['the same, peak RSS', formatSpread(peak('big'), mb), '≤ 400 MB', yes(peak('big').median <= 400)],
    ];
    process.stdout.write(
      `${markdownTable(['figure', `median (min–max) of ${runs}`, 'target', 'met'], rows)}\n\n` +
        `${os.cpus().length} CPUs, load average ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}, Node ${process.version}\n`,
    );
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
