import path from 'node:path';
import { readApi } from './api/read-api.js';
import { checkSchema } from './check-schema.js';
import { checkSemantics } from './check-semantics.js';
import { readAttachedCollection } from './collection/read-attached-collection.js';
import { normalizeSpec } from './normalize-spec.js';
import { parseYaml } from './parse-yaml.js';
import type { Problem } from './problem.js';
import { readSpecFile, type SpecResult } from './read-spec-file.js';
import { specIdFromFile } from './spec-id.js';
import type { TokenmanSpec } from './spec-input.generated.js';
import type { SpecSource } from './spec-source.js';
import type { Spec } from './types.js';

export { MAX_SPEC_BYTES, type SpecResult } from './read-spec-file.js';

export interface LoadOptions {
  /**
   * A Postman collection to attach the spec's token to in place of its `api.collection`, as
   * `tokenman attach` names it: a path as given (relative to the working folder), its problems
   * about the file as a whole placed on the file itself.
   */
  attach?: string;
}

/** Reads and validates one spec file, and the files its `api` names. Never throws for a user's mistake. */
export async function loadSpec(file: string, options: LoadOptions = {}): Promise<SpecResult> {
  const read = await readSpecFile(file);
  return 'bytes' in read ? parseSpecBytes(read.bytes, file, options) : read.result;
}

/** Validates a spec file's bytes (UTF-8 text); `file` names it in problems and gives the spec its id. */
export async function parseSpecBytes(
  bytes: Buffer,
  file: string,
  options: LoadOptions = {},
): Promise<SpecResult> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { problems: [notUtf8(file, bytes)] };
  }
  return loadSpecText(text, file, options);
}

/**
 * Validates spec text and reads what its `api` names, relative to `file`'s folder: the API document
 * of `api.openapi`, the Postman collection of `api.collection`; `file` names it in problems and
 * gives the spec its id.
 */
export async function loadSpecText(
  text: string,
  file: string,
  options: LoadOptions = {},
): Promise<SpecResult> {
  const checked = checkSpecText(text, file);
  const api = checked.input?.api;
  const openapi = api?.openapi;
  const collection = options.attach ?? api?.collection;
  if (!checked.spec || !checked.source || (openapi === undefined && collection === undefined))
    return { ...(checked.spec ? { spec: checked.spec } : {}), problems: checked.problems };
  const { source } = checked;
  let spec = checked.spec;
  const found: Problem[] = [];
  // A variable only the API's paths, or the collection's requests, use was reported unused before
  // they were read.
  const usedNames: string[] = [];
  let failed = false;
  if (api && openapi !== undefined) {
    const read = await readApi({
      specFile: file,
      api: { ...api, openapi },
      variables: spec.variables,
      atSpec: (init, at) => source.problem(init, at),
    });
    found.push(...read.problems);
    usedNames.push(...read.usesVariables);
    if (read.api) spec = { ...spec, api: read.api };
    else failed = true;
  }
  if (collection !== undefined && !failed) {
    const named = options.attach === undefined;
    const read = await readAttachedCollection({
      file: named && !path.isAbsolute(collection) ? path.join(path.dirname(file), collection) : collection,
      atFileName: named
        ? (init) => source.problem(init, { path: ['api', 'collection'] })
        : (init) => ({
            ruleId: init.ruleId,
            severity: init.severity ?? 'error',
            message: init.message,
            ...(init.hint ? { hint: init.hint } : {}),
            file: collection,
          }),
      declared: allVariableNames(spec),
      declareHint: `declare NAME under variables in ${file} (with its default, if it has one)`,
      ...(named ? { missingHint: `the path is relative to the spec's folder (${path.dirname(file)})` } : {}),
    });
    found.push(...read.problems);
    usedNames.push(...read.usesVariables);
    if (read.collection) spec = { ...spec, collection: read.collection };
    else failed = true;
  }
  const usedAt = new Set(
    usedNames.map((name) => JSON.stringify(source.locate({ path: ['variables', name], key: true }).position)),
  );
  // When a file could not be read, which variables it uses is not known: none is called unused.
  const problems = checked.problems.filter(
    (p) => !(p.ruleId === 'unused-variable' && (failed || usedAt.has(JSON.stringify(p.position)))),
  );
  const specProblems = sortByPosition([...problems, ...found.filter((p) => p.file === file)]);
  const otherProblems = found.filter((p) => p.file !== file);
  const all = [...specProblems, ...otherProblems];
  if (failed) return { problems: all };
  return { spec, problems: all };
}

/** The variables a spec's environments may declare: its own, then those its API document brings. */
function allVariableNames(spec: Spec): string[] {
  return [...spec.variables, ...(spec.api?.variables ?? [])].map((v) => v.name);
}

/**
 * Validates spec text; `file` names it in problems and gives the spec its id. It reads no other
 * file, so a spec with `api` is refused here: loadSpec and loadSpecText read its document.
 */
export function parseSpec(text: string, file: string): SpecResult {
  const checked = checkSpecText(text, file);
  if (checked.spec && checked.source && checked.input?.api) {
    const problem = checked.source.problem(
      {
        ruleId: 'api-needs-file',
        message: 'api.openapi and api.collection are read only when the spec is loaded from its file',
        hint: 'use loadSpec(file), or loadSpecText(text, file) which reads the files next to file',
      },
      { path: ['api'], key: true },
    );
    return { problems: sortByPosition([...checked.problems, problem]) };
  }
  return { ...(checked.spec ? { spec: checked.spec } : {}), problems: checked.problems };
}

interface CheckedSpec {
  spec?: Spec;
  /** In file order. */
  problems: Problem[];
  input?: TokenmanSpec;
  source?: SpecSource;
}

/** The spec on its own: its YAML, its schema and the rules beyond the schema. */
function checkSpecText(text: string, file: string): CheckedSpec {
  const problems: Problem[] = [];
  const { id, problem: idProblem } = specIdFromFile(file);
  if (idProblem) problems.push(idProblem);

  const parsed = parseYaml(text, file);
  problems.push(...parsed.problems);
  const { source, value } = parsed;
  if (source && value !== undefined && !hasErrors(parsed.problems)) {
    const schemaProblems = checkSchema(value, source);
    problems.push(...schemaProblems);
    // The semantic rules assume the shape the schema guarantees.
    if (!hasErrors(schemaProblems)) {
      const input = value as TokenmanSpec;
      problems.push(...checkSemantics(input, source));
      if (!hasErrors(problems))
        return { spec: normalizeSpec(input, id, file), problems: sortByPosition(problems), input, source };
    }
  }
  return { problems: sortByPosition(problems) };
}

function hasErrors(problems: Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** File order, so problems read top to bottom; whole-file problems first. */
function sortByPosition(problems: Problem[]): Problem[] {
  const key = (p: Problem) => (p.position ? p.position.line * 1e6 + p.position.col : -1);
  return problems
    .map((p, index) => ({ p, index }))
    .sort((a, b) => key(a.p) - key(b.p) || a.index - b.index)
    .map(({ p }) => p);
}

/** Points at the first place that is not UTF-8, so a wrongly saved file can be found and fixed. */
function notUtf8(file: string, bytes: Buffer): Problem {
  // Decoded leniently, each invalid sequence becomes U+FFFD; positions count decoded characters,
  // like every other position.
  const text = new TextDecoder('utf-8').decode(bytes);
  const before = text.slice(0, Math.max(0, text.indexOf('\uFFFD')));
  const lines = before.split('\n');
  return {
    ruleId: 'not-text',
    severity: 'error',
    message: 'the file is not UTF-8 text',
    hint: 'is this the right file? save the spec as UTF-8',
    file,
    position: { line: lines.length, col: (lines[lines.length - 1] ?? '').length + 1 },
  };
}
