// The {{Variables}} a collection's requests send, and those the collection gives values itself:
// its variables (collection, folder and request level), Postman's dynamic ones ({{$guid}}), and
// those its scripts set by name. What is left must come from an environment.
import { templateReferences } from '../template.js';
import type { CollectionPath } from '../types.js';
import { asObject, collectionEntries, type Json, requestOf } from './collection-items.js';

export interface VariableUse {
  name: string;
  /** Where it is first sent. */
  path: CollectionPath;
  /** The requests that send it, by label, in file order. */
  requests: string[];
}

/** A script setting a variable by a literal name: pm.environment.set('Name', …), pm.variables.set("Name", …). */
const SCRIPT_SETS = /\.set\(\s*(['"`])([^'"`\n]+)\1/g;

/** Strings of a value with where each stands; a `description` is not sent, so not read. */
function* stringsIn(value: unknown, path: CollectionPath): Generator<{ text: string; path: CollectionPath }> {
  if (typeof value === 'string') yield { text: value, path };
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* stringsIn(v, [...path, i]);
  else if (value !== null && typeof value === 'object')
    for (const [key, v] of Object.entries(value)) {
      if (key === 'description') continue;
      yield* stringsIn(v, [...path, key]);
    }
}

/**
 * The variables the requests send, in order of first use: a request's URL, headers, body and auth,
 * a folder's auth. `skipAuth` are the auths that are not sent (replaced by the collection's token).
 */
export function variablesSent(collection: Json, skipAuth: (path: CollectionPath) => boolean): VariableUse[] {
  const uses = new Map<string, VariableUse>();
  const note = (text: string, path: CollectionPath, label: string) => {
    for (const { name } of templateReferences(text)) {
      const use = uses.get(name);
      if (!use) uses.set(name, { name, path, requests: [label] });
      else if (use.requests.at(-1) !== label) use.requests.push(label);
    }
  };
  for (const entry of collectionEntries(collection.item)) {
    if (entry.kind === 'folder') {
      const path = [...entry.path, 'auth'];
      if (!skipAuth(path))
        for (const s of stringsIn(entry.value.auth, path)) note(s.text, s.path, entry.label);
      continue;
    }
    const request = entry.value.request;
    const at = [...entry.path, 'request'];
    if (typeof request === 'string') note(request, at, entry.label);
    const object = requestOf(entry);
    if (!object) continue;
    for (const [key, value] of Object.entries(object)) {
      if (key === 'description' || (key === 'auth' && skipAuth([...at, 'auth']))) continue;
      for (const s of stringsIn(value, [...at, key])) note(s.text, s.path, entry.label);
    }
  }
  return [...uses.values()];
}

/** The names the collection gives values itself, whatever an environment holds. */
export function variablesOfCollection(collection: Json): Set<string> {
  const names = new Set<string>();
  const holders: unknown[] = [collection, ...[...collectionEntries(collection.item)].map((e) => e.value)];
  for (const holder of holders) {
    const object = asObject(holder);
    if (!object) continue;
    for (const variable of Array.isArray(object.variable) ? object.variable : []) {
      const v = asObject(variable);
      const name = v?.key ?? v?.id;
      if (typeof name === 'string') names.add(name);
    }
    for (const event of Array.isArray(object.event) ? object.event : []) {
      const exec = asObject(asObject(event)?.script)?.exec;
      const text = Array.isArray(exec) ? exec.join('\n') : typeof exec === 'string' ? exec : '';
      for (const match of text.matchAll(SCRIPT_SETS)) names.add(match[2] ?? '');
    }
  }
  return names;
}

/** Postman's dynamic variables ({{$guid}}, {{$timestamp}}, {{$randomInt}}) have values of their own. */
export function isDynamic(name: string): boolean {
  return name.startsWith('$');
}
