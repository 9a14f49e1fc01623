// The requests of a plan as the tree of folders every client shows: one place that decides where a
// folder stands, so Postman (v2.1 and v3), Bruno and the docs list the same folders in one order.
import type { RequestPlan } from './request-plan.js';

/** A folder of requests: the requests and folders in it, in the order they first appear. */
export interface RequestFolder {
  name: string;
  /** Its names from the collection's top down, itself last: what its ids derive from. */
  path: string[];
  entries: FolderEntry[];
}

export type FolderEntry =
  | { request: RequestPlan; folder?: undefined }
  | { folder: RequestFolder; request?: undefined };

/**
 * The requests in their folders: a folder stands where its first request would, so the spec's own
 * requests (at the top, first in the plan) come before the folders of its API's tags, and the tags
 * in the order the document first uses them.
 */
export function requestTree(requests: readonly RequestPlan[]): FolderEntry[] {
  const top: FolderEntry[] = [];
  const folders = new Map<string, RequestFolder>();
  for (const request of requests) {
    let entries = top;
    const path: string[] = [];
    for (const name of request.folder) {
      path.push(name);
      const key = JSON.stringify(path);
      let folder = folders.get(key);
      if (!folder) {
        folder = { name, path: [...path], entries: [] };
        folders.set(key, folder);
        entries.push({ folder });
      }
      entries = folder.entries;
    }
    entries.push({ request });
  }
  return top;
}
