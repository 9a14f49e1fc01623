import { checkSchema } from './check-schema.js';
import { checkSemantics } from './check-semantics.js';
import { normalizeSpec } from './normalize-spec.js';
import { parseYaml } from './parse-yaml.js';
import type { Problem } from './problem.js';
import { readSpecFile, type SpecResult } from './read-spec-file.js';
import { specIdFromFile } from './spec-id.js';
import type { TokenmanSpec } from './spec-input.generated.js';

export { MAX_SPEC_BYTES, type SpecResult } from './read-spec-file.js';

/** Reads and validates one spec file. Never throws for a user's mistake. */
export async function loadSpec(file: string): Promise<SpecResult> {
  const read = await readSpecFile(file);
  return 'bytes' in read ? parseSpecBytes(read.bytes, file) : read.result;
}

/** Validates a spec file's bytes (UTF-8 text); `file` names it in problems and gives the spec its id. */
export function parseSpecBytes(bytes: Buffer, file: string): SpecResult {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { problems: [notUtf8(file, bytes)] };
  }
  return parseSpec(text, file);
}

/** Validates spec text; `file` names it in problems and gives the spec its id. */
export function parseSpec(text: string, file: string): SpecResult {
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
        return { spec: normalizeSpec(input, id, file), problems: sortByPosition(problems) };
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
