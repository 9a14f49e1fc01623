import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { RequestPlan } from '../plan/request-plan.js';
import { stableId } from '../targets/postman/stable-id.js';

// A run that leaves requests out runs a copy of its collection without them, never the output
// folder changed: the v2.1 collection is filtered in memory (Newman, the Postman CLI's v2.1 run),
// and a Bruno collection is copied into the run's private folder less their files. Each runner's
// own way of choosing (Newman's --folder, the Postman CLI's -i, paths given to bru run) goes by
// names, which two folders may share; a copy goes by what each request is. A request to leave out
// that is not found stops the run: better nothing sent than a write the user did not allow.

type Json = Record<string, unknown>;

/** What a run is refused with when requests it must leave out are not in its collection. */
export function notLeftOut(requests: readonly RequestPlan[]): string {
  const names = requests.map((request) => `"${request.name}"`).join(', ');
  return `${names} could not be found in the collection to be left out, so nothing was sent; rebuild with tokenman build`;
}

/**
 * The v2.1 collection without the items of the requests left out (and folders they leave empty),
 * and those of them it did not find.
 */
export function collectionWithout(
  collection: Json,
  planId: string,
  leftOut: readonly RequestPlan[],
): { collection: Json; notFound: RequestPlan[] } {
  if (leftOut.length === 0) return { collection, notFound: [] };
  const byId = new Map(leftOut.map((request) => [stableId(planId, ...request.key), request]));
  const found = new Set<RequestPlan>();
  const keep = (items: unknown): Json[] =>
    (Array.isArray(items) ? (items as Json[]) : []).flatMap((item) => {
      const request = byId.get(String(item.id));
      if (request) {
        found.add(request);
        return [];
      }
      if (!Array.isArray(item.item)) return [item];
      const inner = keep(item.item);
      return inner.length ? [{ ...item, item: inner }] : [];
    });
  const kept = { ...collection, item: keep(collection.item) };
  return { collection: kept, notFound: leftOut.filter((request) => !found.has(request)) };
}

/** What a Bruno request file says it is, to know a request left out by. */
function requestIdentity(name: unknown, method: unknown, url: unknown): string {
  return `${String(method).toUpperCase()} ${String(url)} ${String(name)}`;
}

/**
 * A copy of a Bruno collection folder in `into` (a private folder of the run's) without the files
 * of the requests left out, each request file read for its name, method and URL; the requests to
 * leave out it did not find.
 */
export async function brunoCollectionWithout(
  collectionDir: string,
  into: string,
  leftOut: readonly RequestPlan[],
): Promise<RequestPlan[]> {
  const byIdentity = new Map(leftOut.map((r) => [requestIdentity(r.name, r.method, r.url), r]));
  const found = new Set<RequestPlan>();
  const copy = async (from: string, to: string) => {
    await mkdir(to, { recursive: true, mode: 0o700 });
    for (const entry of await readdir(from, { withFileTypes: true })) {
      const source = join(from, entry.name);
      const target = join(to, entry.name);
      if (entry.isDirectory()) {
        await copy(source, target);
        continue;
      }
      if (!entry.isFile()) continue;
      if (entry.name.endsWith('.yml') && byIdentity.size) {
        const file = parseQuietly(await readFile(source, 'utf8'));
        const info = file?.info as Json | undefined;
        const http = file?.http as Json | undefined;
        const request =
          info?.type === 'http' && http
            ? byIdentity.get(requestIdentity(info.name, http.method, http.url))
            : undefined;
        if (request) {
          found.add(request);
          continue;
        }
      }
      await copyFile(source, target);
    }
  };
  await copy(collectionDir, into);
  return leftOut.filter((request) => !found.has(request));
}

function parseQuietly(text: string): Json | undefined {
  try {
    const value = parse(text) as unknown;
    return value !== null && typeof value === 'object' ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}
