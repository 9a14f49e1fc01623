import type { AttachedCollectionDef, CollectionPath } from '../../spec/types.js';

// The Postman target for a spec with `api.collection`: the user's own collection, kept whole, with
// tokenman's parts put in. Everything of the user's stays as it was (info, folders, requests,
// examples, scripts, variables, descriptions); only the auths the spec stage listed to switch are
// removed, so those requests inherit the collection's token.

type Json = Record<string, unknown>;

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function idOf(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? (value as Json).id : undefined;
}

/** Removes the key a path ends in, its parents reached as the path says. */
function removeAt(root: unknown, path: CollectionPath): void {
  let node = root;
  for (const segment of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<string | number, unknown>)[segment];
  }
  const last = path.at(-1);
  if (node !== null && typeof node === 'object' && last !== undefined) delete (node as Json)[last];
}

/**
 * The user's collection with tokenman's parts: `generated` is the collection tokenman writes for
 * the spec on its own (its token script, its Bearer auth, its "Get token" and the spec's requests).
 *
 * - item: tokenman's first ("Get token", the spec's requests, its API document's operations), then
 *   the user's.
 * - event: tokenman's pre-request script first, then the user's events as they were. Two events,
 *   not one script: the runtime (Newman, the Postman CLI) runs a level's scripts one after another,
 *   each to its end, so the user's runs once the token is stored; and each keeps its own scope, so
 *   no name of the user's script can clash with one of tokenman's, and a script of the user's that
 *   uses Postman's legacy globals keeps them (tokenman's starts with the marker that turns them off).
 * - auth: tokenman's Bearer `{{Token}}`.
 *
 * A collection that tokenman already attached to (a file this wrote, attached again) has its
 * tokenman parts replaced, not doubled: they carry the ids tokenman gives them.
 */
export function attachCollection(generated: Json, attached: AttachedCollectionDef): Json {
  const own = structuredClone(attached.collection);
  for (const path of attached.switchedAuth) removeAt(own, path);
  const tokenmanItems = asList(generated.item);
  const tokenmanEvents = asList(generated.event);
  const tokenmanIds = new Set<unknown>([...tokenmanItems, ...tokenmanEvents].map(idOf));
  tokenmanIds.delete(undefined);
  const notTokenmans = (value: unknown) => !tokenmanIds.has(idOf(value));
  return {
    ...own,
    item: [...tokenmanItems, ...asList(own.item).filter(notTokenmans)],
    event: [...tokenmanEvents, ...asList(own.event).filter(notTokenmans)],
    auth: generated.auth,
  };
}
