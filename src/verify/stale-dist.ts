import { join } from 'node:path';
import { checkArtifacts } from '../emit/write-artifacts.js';
import { RECORD_FROM, readBuildRecord, unchangedSpec } from '../pipeline/build-record.js';
import { specArtifacts } from '../pipeline/spec-artifacts.js';
import type { Problem } from '../spec/problem.js';
import type { Spec } from '../spec/types.js';
import { DOCS_SUFFIX, OUTPUT_LAYOUT } from '../targets/output-files.js';

/** Files named in the sentence; more are counted. */
const NAMED = 5;

/**
 * A problem when the collections and environments verify is about to run are not what the specs
 * build to now (a spec changed since the last build, or a build was killed part-way): running them
 * would test an old collection with values worked out from the new spec. Compared as `build
 * --check` does, in memory, or for a spec the build's record shows current, by the hashes of its
 * files as read now; the docs are not run, so they are not compared.
 */
export async function staleDist(specs: Spec[], distDir: string): Promise<Problem[]> {
  const compared = await notAsRecorded(specs, distDir);
  const runs = (function* () {
    for (const spec of compared)
      for (const artifact of specArtifacts(spec))
        if (!artifact.fileName.endsWith(DOCS_SUFFIX)) yield artifact;
  })();
  const { drift } = await checkArtifacts(runs, distDir, { layout: OUTPUT_LAYOUT, prune: false });
  if (drift.length === 0) return [];
  const named = drift.slice(0, NAMED).map((d) => `${join(distDir, d.fileName)} (${d.kind})`);
  const more = drift.length > NAMED ? ` and ${drift.length - NAMED} more` : '';
  return [
    {
      ruleId: 'stale-dist',
      severity: 'error',
      message: `${distDir} does not hold what the specs build to: ${named.join(', ')}${more}; run tokenman build first, so verify runs what the specs say`,
      file: distDir,
    },
  ];
}

/**
 * The specs whose files are to be generated and compared: all of them, but for those the record of
 * the build that made distDir (a build of many specs keeps one) shows current, their spec file
 * holding the bytes it built from and each of their files the bytes it wrote, read and hashed.
 */
async function notAsRecorded(specs: Spec[], distDir: string): Promise<Spec[]> {
  if (specs.length < RECORD_FROM) return specs;
  const record = await readBuildRecord(distDir);
  if (!record) return specs;
  const compared: Spec[] = [];
  for (const spec of specs) {
    const entry = Object.hasOwn(record.specs, spec.file) ? record.specs[spec.file] : undefined;
    if (!(await unchangedSpec(spec.file, entry, distDir, OUTPUT_LAYOUT.specOf))) compared.push(spec);
  }
  return compared;
}
