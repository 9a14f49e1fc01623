import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { RequestPlan } from '../plan/request-plan.js';
import { stableId } from '../targets/postman/stable-id.js';

// A run that leaves requests out runs a copy of its collection without them, never the output
// folder changed: the v2.1 collection is filtered in memory (Newman, the Postman CLI's v2.1 run),
// and a Bruno collection is copied into the run's private folder less their files. Each runner's
// own way of choosing (Newman's --folder, the Postman CLI's -i, paths given to bru run) goes by
// names, which two folders may share; a copy goes by what each request is.

type Json = Record<string, unknown>;

/** The v2.1 collection without the items of the requests left out (and folders they leave empty). */
export function collectionWithout(collection: Json, planId: string, leftOut: readonly RequestPlan[]): Json {
  if (leftOut.length === 0) return collection;
  const ids = new Set(leftOut.map((request) => stableId(planId, ...request.key)));
  const keep = (items: unknown): Json[] =>
    (Array.isArray(items) ? (items as Json[]) : []).flatMap((item) => {
      if (ids.has(String(item.id))) return [];
      if (!Array.isArray(item.item)) return [item];
      const inner = keep(item.item);
      return inner.length ? [{ ...item, item: inner }] : [];
    });
  return { ...collection, item: keep(collection.item) };
}

/** What a Bruno request file says it is, to know a request left out by. */
function requestIdentity(name: unknown, method: unknown, url: unknown): string {
  return `${String(method).toUpperCase()} ${String(url)} ${String(name)}`;
}

/**
 * A copy of a Bruno collection folder in `into` (a private folder of the run's) without the files
 * of the requests left out: each request file is read for its name, method and URL.
 */
export async function brunoCollectionWithout(
  collectionDir: string,
  into: string,
  leftOut: readonly RequestPlan[],
): Promise<void> {
  const identities = new Set(leftOut.map((r) => requestIdentity(r.name, r.method, r.url)));
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
      if (entry.name.endsWith('.yml') && identities.size) {
        const text = await readFile(source, 'utf8');
        const file = parseQuietly(text);
        const info = file?.info as Json | undefined;
        const http = file?.http as Json | undefined;
        if (
          info?.type === 'http' &&
          http &&
          identities.has(requestIdentity(info.name, http.method, http.url))
        )
          continue;
      }
      await copyFile(source, target);
    }
  };
  await copy(collectionDir, into);
}

function parseQuietly(text: string): Json | undefined {
  try {
    const value = parse(text) as unknown;
    return value !== null && typeof value === 'object' ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}
