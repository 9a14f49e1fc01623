import { TOKEN_REQUEST_DOCS_LEAD } from '../../plan/plan-spec.js';

// What a rebuild changed in a spec's requests, read from the v2.1 collection it replaces and the one
// it writes: every request has an id derived from its key (an operation's from its method and path),
// so a request with the same id is the same request, whatever moved around it.

export interface RequestChanges {
  added: number;
  removed: number;
  changed: number;
}

type Item = { id?: unknown; item?: unknown; request?: { description?: { content?: unknown } } };

/**
 * The requests that use the token of a v2.1 collection's text, by id, each as its JSON text (folders
 * opened, "Get token" requests left out); undefined for a text that is no collection.
 */
function requestsById(text: string): Map<string, string> | undefined {
  let collection: unknown;
  try {
    collection = JSON.parse(text);
  } catch {
    return undefined;
  }
  const items = (collection as { item?: unknown } | null)?.item;
  if (!Array.isArray(items)) return undefined;
  const found = new Map<string, string>();
  const walk = (list: unknown[]) => {
    for (const entry of list) {
      const item = entry as Item;
      if (Array.isArray(item.item)) walk(item.item);
      const lead = item.request?.description?.content;
      if (typeof item.id !== 'string' || !item.request) continue;
      if (typeof lead === 'string' && lead.startsWith(TOKEN_REQUEST_DOCS_LEAD)) continue;
      found.set(item.id, JSON.stringify(item));
    }
  };
  walk(items);
  return found;
}

/** How the requests of a collection changed from the text it replaces; undefined when that is no collection. */
export function requestChanges(before: string, after: string): RequestChanges | undefined {
  const old = requestsById(before);
  const now = requestsById(after);
  if (!old || !now) return undefined;
  const changes = { added: 0, removed: 0, changed: 0 };
  for (const [id, item] of now) {
    const was = old.get(id);
    if (was === undefined) changes.added++;
    else if (was !== item) changes.changed++;
  }
  for (const id of old.keys()) if (!now.has(id)) changes.removed++;
  return changes;
}
