import { parse } from 'yaml';
import type { OperationSelection } from '../spec/spec-input.generated.js';
import { UsageError } from './usage-error.js';

// `--operations`, written as a spec's `api.include` is: a mapping of tags, paths (globs) and
// operations (operationIds or `METHOD /path`), in YAML's one-line form. Given more than once, the
// selections add up.

const KINDS = ['tags', 'paths', 'operations'] as const;
const EXAMPLE = `--operations '{tags: [Users], operations: [listUsers, "GET /users/{id}"]}'`;

export function operationsFlag(values: readonly string[]): OperationSelection | undefined {
  if (values.length === 0) return undefined;
  const lists: Record<(typeof KINDS)[number], string[]> = { tags: [], paths: [], operations: [] };
  for (const text of values) {
    let value: unknown;
    try {
      value = parse(text);
    } catch {
      value = undefined;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new UsageError(
        `--operations "${text}" is not a selection: write it as api.include is written, as ${EXAMPLE}`,
      );
    for (const [key, entries] of Object.entries(value)) {
      const kind = KINDS.find((k) => k === key);
      if (!kind)
        throw new UsageError(
          `--operations has "${key}", which selects nothing: use tags, paths or operations, as ${EXAMPLE}`,
        );
      const list = Array.isArray(entries) ? entries : [entries];
      if (!list.length || list.some((entry) => typeof entry !== 'string' || entry.trim() === ''))
        throw new UsageError(
          `--operations ${kind} must be a list of names, as ${EXAMPLE} (quote a path that has braces)`,
        );
      lists[kind].push(...(list as string[]));
    }
  }
  const selection: OperationSelection = {};
  for (const kind of KINDS) {
    const [first, ...rest] = lists[kind];
    if (first !== undefined) selection[kind] = [first, ...rest];
  }
  if (Object.keys(selection).length === 0)
    throw new UsageError(`--operations selects nothing: give tags, paths or operations, as ${EXAMPLE}`);
  return selection;
}
