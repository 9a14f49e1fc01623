import { COLLECTION_SUFFIX } from '../output-files.js';

// What a rebuild changed among a spec's requests, read from the Collection v2.1 file it replaces
// and the one it writes: requests are matched by id, which tokenman derives from a request's key
// (an operation's method and path), so a vendor's added operation reads as added, not as every
// request after it changed.

export interface RequestChanges {
  /** The spec's id. */
  spec: string;
  added: number;
  removed: number;
  changed: number;
}

interface Item {
  id?: unknown;
  name?: unknown;
  item?: unknown;
  request?: unknown;
}

/** Each request of a collection's item tree by its id (or its folder path and name, lacking one). */
function requestsOf(text: string): Map<string, string> | undefined {
  let collection: { item?: unknown };
  try {
    collection = JSON.parse(text) as { item?: unknown };
  } catch {
    return undefined;
  }
  const requests = new Map<string, string>();
  const walk = (items: unknown, path: string) => {
    if (!Array.isArray(items)) return;
    for (const each of items as Item[]) {
      const name = `${path}/${String(each?.name ?? '')}`;
      if (Array.isArray(each?.item)) walk(each.item, name);
      else if (each?.request !== undefined)
        requests.set(typeof each.id === 'string' ? each.id : name, JSON.stringify(each));
    }
  };
  walk(collection?.item, '');
  return requests;
}

/**
 * How the requests of a replaced collection file changed, or undefined when the file is no
 * collection, either text is not one, or no request changed (only its script or variables did).
 */
export function requestChanges(fileName: string, previous: string, next: string): RequestChanges | undefined {
  if (!fileName.endsWith(COLLECTION_SUFFIX) || fileName.includes('/')) return undefined;
  const before = requestsOf(previous);
  const after = requestsOf(next);
  if (!before || !after) return undefined;
  let added = 0;
  let changed = 0;
  for (const [id, text] of after) {
    const was = before.get(id);
    if (was === undefined) added++;
    else if (was !== text) changed++;
  }
  const removed = [...before.keys()].filter((id) => !after.has(id)).length;
  if (added + removed + changed === 0) return undefined;
  return { spec: fileName.slice(0, -COLLECTION_SUFFIX.length), added, removed, changed };
}

/** `keycloak: 30 requests added, 1 removed, 4 changed`, naming only what happened. */
export function describeRequestChanges({ spec, added, removed, changed }: RequestChanges): string {
  const counts = (
    [
      [added, 'added'],
      [removed, 'removed'],
      [changed, 'changed'],
    ] as const
  ).filter(([count]) => count > 0);
  const parts = counts.map(([count, what], index) =>
    index === 0 ? `${count} request${count === 1 ? '' : 's'} ${what}` : `${count} ${what}`,
  );
  return `${spec}: ${parts.join(', ')}`;
}
