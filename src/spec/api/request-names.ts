// Where each operation's request stands and what it is called: a folder per tag (its first), named
// by its summary, else its operationId, else `METHOD /path`. Two requests of one folder may not
// share a name (Bruno names files after them, and a reader could not tell them apart): when the
// vendor gave two operations one summary, each of them gets its method and path after it.
import type { DocumentOperation } from './list-operations.js';

/** The folder of the operations that have no tag. */
export const UNTAGGED_FOLDER = 'Untagged';

export interface RequestName {
  folder: string;
  name: string;
}

export interface SharedName {
  folder: string;
  name: string;
  /** The operations that share it, in document order. */
  operations: DocumentOperation[];
}

/** One line: a summary's line breaks and runs of spaces as single spaces. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function plainName(operation: DocumentOperation): string {
  const summary = typeof operation.operation.summary === 'string' ? oneLine(operation.operation.summary) : '';
  return summary || operation.operationId || `${operation.method} ${operation.path}`;
}

/** The folder and name of each operation, in order, and the names that had to be told apart. */
export function nameRequests(operations: readonly DocumentOperation[]): {
  names: RequestName[];
  shared: SharedName[];
} {
  const names = operations.map((operation) => ({
    folder: operation.tags[0]?.trim() || UNTAGGED_FOLDER,
    name: plainName(operation),
  }));
  // Case is ignored: on macOS and Windows, files that differ in case only are one file.
  const groups = new Map<string, number[]>();
  names.forEach(({ folder, name }, index) => {
    const key = JSON.stringify([folder, name.toLowerCase()]);
    groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  const shared: SharedName[] = [];
  for (const indexes of groups.values()) {
    if (indexes.length < 2) continue;
    const first = names[indexes[0] ?? 0] as RequestName;
    shared.push({ ...first, operations: indexes.map((index) => operations[index] as DocumentOperation) });
    for (const index of indexes) {
      const entry = names[index] as RequestName;
      const operation = operations[index] as DocumentOperation;
      entry.name = `${entry.name} (${operation.method} ${operation.path})`;
    }
  }
  return { names, shared };
}
