// The folders and requests of a Collection v2.1, walked in file order with where each stands.
import type { CollectionPath } from '../types.js';

export type Json = Record<string, unknown>;

export interface CollectionEntry {
  /** A folder (it has `item`) or a request. */
  kind: 'folder' | 'request';
  value: Json;
  path: CollectionPath;
  /** Its name after its folders' names: `Orders / Create order`. */
  label: string;
}

export function asObject(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

/** Every folder and request, depth first in file order, each after the folder that holds it. */
export function* collectionEntries(
  items: unknown,
  path: CollectionPath = ['item'],
  folders: readonly string[] = [],
): Generator<CollectionEntry> {
  if (!Array.isArray(items)) return;
  for (const [index, element] of items.entries()) {
    const value = asObject(element);
    if (!value) continue;
    const at = [...path, index];
    const name = typeof value.name === 'string' && value.name ? value.name : `item ${index + 1}`;
    const label = [...folders, name].join(' / ');
    if (Array.isArray(value.item)) {
      yield { kind: 'folder', value, path: at, label };
      yield* collectionEntries(value.item, [...at, 'item'], [...folders, name]);
    } else yield { kind: 'request', value, path: at, label };
  }
}

/** A request item's request (a bare URL string is a request too, a GET). */
export function requestOf(entry: CollectionEntry): Json | undefined {
  return asObject(entry.value.request);
}

/** Where an entry's own auth stands: a folder's `auth`, a request's `request.auth`. */
export function authPath(entry: CollectionEntry): CollectionPath {
  return entry.kind === 'folder' ? [...entry.path, 'auth'] : [...entry.path, 'request', 'auth'];
}

export function authOf(entry: CollectionEntry): Json | undefined {
  return asObject(entry.kind === 'folder' ? entry.value.auth : requestOf(entry)?.auth);
}
