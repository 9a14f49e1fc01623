// Which operations of the document become requests: `api.include` (every operation when absent),
// then less `api.exclude`. An operation matches a selection when it matches any of its entries: a
// tag it has, a glob its path matches, or its operationId or `METHOD /path`.
import type { OperationSelection } from '../spec-input.generated.js';
import type { DocumentOperation } from './list-operations.js';

export type SelectionKind = 'tags' | 'paths' | 'operations';

export interface SelectionEntry {
  kind: SelectionKind;
  index: number;
  text: string;
}

export interface Selected {
  operations: DocumentOperation[];
  /** Entries of include that match no operation of the document. */
  unmatchedIncludes: SelectionEntry[];
  /** Entries of exclude that match no operation of the document. */
  unmatchedExcludes: SelectionEntry[];
}

export function selectOperations(
  all: readonly DocumentOperation[],
  include: OperationSelection | undefined,
  exclude: OperationSelection | undefined,
): Selected {
  const includes = entriesOf(include);
  const excludes = entriesOf(exclude);
  const matchers = new Map([...includes, ...excludes].map((entry) => [entry, matcherOf(entry)]));
  const used = new Set<SelectionEntry>();
  const matchesAny = (operation: DocumentOperation, entries: SelectionEntry[]) => {
    let matched = false;
    // Every entry is tried, so each that matches something is known to.
    for (const entry of entries) {
      if (matchers.get(entry)?.(operation)) {
        used.add(entry);
        matched = true;
      }
    }
    return matched;
  };
  const operations = all.filter((operation) => {
    const included = include === undefined || matchesAny(operation, includes);
    const excluded = matchesAny(operation, excludes);
    return included && !excluded;
  });
  return {
    operations,
    unmatchedIncludes: includes.filter((entry) => !used.has(entry)),
    unmatchedExcludes: excludes.filter((entry) => !used.has(entry)),
  };
}

function entriesOf(selection: OperationSelection | undefined): SelectionEntry[] {
  if (!selection) return [];
  const kinds: SelectionKind[] = ['tags', 'paths', 'operations'];
  return kinds.flatMap((kind) => (selection[kind] ?? []).map((text, index) => ({ kind, index, text })));
}

function matcherOf(entry: SelectionEntry): (operation: DocumentOperation) => boolean {
  if (entry.kind === 'tags') return (operation) => operation.tags.includes(entry.text);
  if (entry.kind === 'paths') {
    const glob = globPattern(entry.text);
    return (operation) => glob.test(operation.path);
  }
  const named = methodAndPath(entry.text);
  return (operation) =>
    operation.operationId === entry.text ||
    (named !== undefined && named.method === operation.method && named.path === operation.path);
}

/** `GET /users/{id}` as a method and a path; undefined for anything else (an operationId). */
export function methodAndPath(text: string): { method: string; path: string } | undefined {
  const match = /^([A-Za-z]+)\s+(\/\S*)$/.exec(text.trim());
  return match ? { method: (match[1] ?? '').toUpperCase(), path: match[2] ?? '' } : undefined;
}

/** `*` any text within a segment, `**` any text across segments; everything else as written. */
export function globPattern(glob: string): RegExp {
  const source = glob
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${source}$`);
}

/** What an operation is called in an entry of each kind, for "did you mean". */
export function namesOf(operations: readonly DocumentOperation[], kind: SelectionKind): string[] {
  const names = operations.flatMap((operation) => {
    if (kind === 'tags') return operation.tags;
    if (kind === 'paths') return [operation.path];
    return [
      ...(operation.operationId ? [operation.operationId] : []),
      `${operation.method} ${operation.path}`,
    ];
  });
  return [...new Set(names)];
}
