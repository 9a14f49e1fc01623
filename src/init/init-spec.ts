import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSpec } from '../spec/load-spec.js';
import type { Position, Problem } from '../spec/problem.js';
import type { Spec } from '../spec/types.js';
import { type InitChoices, inferSpec } from './infer-spec.js';
import { parsePastedCommand } from './parse-pasted.js';
import type { PastedRequest, PasteProblem } from './pasted-request.js';
import { renderSpec } from './render-spec.js';

const SCHEMA_FILE = fileURLToPath(new URL('../../schema/spec.schema.json', import.meta.url));

export interface InitOptions extends InitChoices {
  /** Where the spec will live; names it (its id) and places the schema reference. */
  file: string;
  /** A curl or HTTPie command of the token request, as pasted. */
  fromCommand?: string;
  /** The token endpoint, when there is no command. */
  url?: string;
}

export interface InitResult {
  /** The spec's YAML, once it could be made; write it only when there are no problems. */
  yaml?: string;
  /** The spec as `build` will read it. */
  spec?: Spec;
  /** What was assumed, left out or ignored. Never holds a secret value. */
  notes: string[];
  /** Each variable made from a placeholder of the command, and that placeholder as written. */
  placeholders: Record<string, string>;
  /** Errors in the command (file `--from-curl`) or in the spec the options make. */
  problems: Problem[];
}

/** Where a command's problems are reported, since it is not a file. */
export const COMMAND_LABEL = '--from-curl';
export const URL_LABEL = '--url';

/**
 * Makes a new spec from a pasted curl or HTTPie command, or from a URL and choices. Writes
 * nothing: the caller decides where the YAML goes.
 */
export function initSpec(options: InitOptions): InitResult {
  let request: PastedRequest;
  if (options.fromCommand !== undefined) {
    const parsed = parsePastedCommand(options.fromCommand);
    if (!parsed.ok) return failed(parsed.problem, COMMAND_LABEL);
    request = parsed.value;
  } else if (options.url !== undefined) {
    request = requestFromUrl(options.url);
  } else {
    return failed({ message: 'a token URL or a curl command is needed', at: { line: 1, col: 1 } }, URL_LABEL);
  }

  const inferred = inferSpec(request, options);
  if (!inferred.ok)
    return failed(inferred.problem, options.fromCommand !== undefined ? COMMAND_LABEL : URL_LABEL);
  const yaml = renderSpec(inferred.value.spec, schemaReference(options.file));
  const checked = parseSpec(yaml, options.file);
  const errors = checked.problems.filter((p) => p.severity === 'error');
  const { notes, placeholders } = inferred.value;
  if (errors.length || !checked.spec) return { yaml, notes, placeholders, problems: errors };
  return { yaml, spec: checked.spec, notes, placeholders, problems: [] };
}

function requestFromUrl(url: string): PastedRequest {
  const at: Position = { line: 1, col: 1 };
  return {
    tool: 'options',
    url,
    urlAt: at,
    headers: [],
    body: { kind: 'none' },
    dataInQuery: false,
    insecure: false,
    notes: [],
  };
}

/** The schema as installed with tokenman, relative to the spec, with forward slashes on every system. */
function schemaReference(file: string): string {
  const relative = path.relative(path.dirname(path.resolve(file)), SCHEMA_FILE);
  return relative.split(path.sep).join('/');
}

function failed(problem: PasteProblem, file: string): InitResult {
  return {
    notes: [],
    placeholders: {},
    problems: [
      {
        ruleId: 'init-input',
        severity: 'error',
        message: problem.message,
        ...(problem.hint ? { hint: problem.hint } : {}),
        file,
        position: problem.at,
      },
    ],
  };
}
