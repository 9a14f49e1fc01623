// The `$ref`s of an API document: which name another file or a URL, which point at nothing, and
// which go round in a circle of `$ref`s alone. A schema that contains itself through a property
// (a tree's children) is no circle here: it is how real documents describe recursive data, and the
// example writer stops at a depth.
import type { DocumentPath } from './document-positions.js';
import { pointerSegments } from './document-positions.js';
import { examplePayloads, hideRefsIn } from './literal-refs.js';

export type RefKind = 'internal' | 'file' | 'url';

/** What a `$ref` names: a place in the same document, another file, or a URL (refused). */
export function refKind(ref: string): RefKind {
  if (ref.startsWith('#')) return 'internal';
  if (ref.startsWith('//')) return 'url';
  // A scheme of two letters or more (a single letter is a Windows drive); file: is a file.
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(ref)?.[1];
  return scheme && scheme.toLowerCase() !== 'file' ? 'url' : 'file';
}

export interface RefUse {
  ref: string;
  /** The first place that writes it. */
  path: DocumentPath;
  count: number;
  /** The objects that hold it, as the document has them. */
  holders: object[];
}

export interface RefReport {
  /** `$ref`s to URLs, each with where it is first written. */
  urls: RefUse[];
  /** Whether any `$ref` names another file. */
  external: boolean;
  /** Internal `$ref`s that point at nothing. */
  missing: RefUse[];
  /** Circles of `$ref`s that never reach a value: the pointers in order, and where the first is defined. */
  cycles: Array<{ pointers: string[]; path: DocumentPath }>;
}

/**
 * Reads every `$ref` of a document once, renaming on the way those inside examples, which are data
 * (literal-refs.ts). `shared`: the value may hold one node in several places, as YAML anchors do,
 * or even inside itself; a value JSON.parse made never does, and is walked without keeping count.
 */
export function checkRefs(document: unknown, shared: boolean): RefReport {
  const urls = new Map<string, RefUse>();
  const missing = new Map<string, RefUse>();
  const internal = new Set<string>();
  let external = false;
  const resolved = new Map<string, unknown>();
  const target = (pointer: string): unknown => {
    if (!resolved.has(pointer)) resolved.set(pointer, resolvePointer(document, pointer));
    return resolved.get(pointer);
  };
  const note = (into: Map<string, RefUse>, ref: string, path: DocumentPath, holder: object) => {
    const use = into.get(ref);
    if (use) {
      use.count++;
      use.holders.push(holder);
    } else into.set(ref, { ref, path: [...path], count: 1, holders: [holder] });
  };

  const seen = shared ? new WeakSet<object>() : undefined;
  const scrubbed = shared ? new WeakSet<object>() : undefined;
  const path: Array<string | number> = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (seen) {
      if (seen.has(node)) return;
      seen.add(node);
    }
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index++) {
        path.push(index);
        walk(node[index]);
        path.pop();
      }
      return;
    }
    const record = node as Record<string, unknown>;
    const ref = record.$ref;
    if (typeof ref === 'string') {
      const kind = refKind(ref);
      if (kind === 'url') note(urls, ref, path, record);
      else if (kind === 'file') external = true;
      else {
        internal.add(ref);
        if (target(ref) === undefined) note(missing, ref, path, record);
      }
    }
    for (const key in record) {
      if (key === '$ref') continue;
      const value = record[key];
      if (value === null || typeof value !== 'object') continue;
      const payloads = examplePayloads(key, value);
      if (payloads) for (const payload of payloads) hideRefsIn(payload, scrubbed);
      else {
        path.push(key);
        walk(value);
        path.pop();
      }
    }
  };
  walk(document);

  // A chain of $refs alone that comes back to where it started describes nothing.
  const cycles: RefReport['cycles'] = [];
  const reported = new Set<string>();
  for (const start of internal) {
    const chain: string[] = [];
    let pointer: string | undefined = start;
    while (pointer !== undefined && !chain.includes(pointer)) {
      chain.push(pointer);
      const next: unknown = target(pointer);
      const nextRef =
        next !== null && typeof next === 'object' ? (next as Record<string, unknown>).$ref : undefined;
      pointer = typeof nextRef === 'string' && refKind(nextRef) === 'internal' ? nextRef : undefined;
    }
    if (pointer === undefined) continue;
    const circle = chain.slice(chain.indexOf(pointer));
    const key = [...circle].sort().join('\n');
    if (reported.has(key)) continue;
    reported.add(key);
    // Reported where the first of the circle is defined, which is where it can be mended.
    cycles.push({
      pointers: [...circle, pointer],
      path: pointerSegments((circle[0] ?? '').replace(/^#/, '')),
    });
  }
  return { urls: [...urls.values()], external, missing: [...missing.values()], cycles };
}

/** The value a `#/...` pointer names in the document, or undefined. */
export function resolvePointer(document: unknown, ref: string): unknown {
  let node: unknown = document;
  for (const segment of pointerSegments(ref.replace(/^#/, ''))) {
    if (node === null || typeof node !== 'object') return undefined;
    if (Array.isArray(node)) {
      if (!/^\d+$/.test(segment)) return undefined;
      node = node[Number(segment)];
    } else {
      if (!Object.hasOwn(node, segment)) return undefined;
      node = (node as Record<string, unknown>)[segment];
    }
  }
  return node;
}

/**
 * Which of `wanted` the values in `roots` lead to, following `$ref`s inside the document: what a
 * selected operation uses of a document, of which the rest may be broken without harm to it.
 */
export function reachedFrom(
  document: unknown,
  roots: readonly unknown[],
  wanted: ReadonlySet<object>,
): Set<object> {
  const reached = new Set<object>();
  const seen = new WeakSet<object>();
  const stack: unknown[] = [...roots];
  while (stack.length) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    if (wanted.has(node)) reached.add(node);
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    const ref = (node as Record<string, unknown>).$ref;
    if (typeof ref === 'string' && ref.startsWith('#')) stack.push(resolvePointer(document, ref));
    for (const key in node) stack.push((node as Record<string, unknown>)[key]);
  }
  return reached;
}

/** The value at a path of the document, each `$ref` on the way followed (as a bundler writes paths). */
export function valueAt(document: unknown, path: DocumentPath): unknown {
  let node: unknown = document;
  for (const segment of path) {
    node = deref(document, node);
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[String(segment)];
  }
  return node;
}

/** A value with its `$ref`s to places in the document followed (a chain of them, as far as it goes). */
export function deref(document: unknown, value: unknown): unknown {
  let current = value;
  // Bounded: circles of $refs are refused before anything is read through here.
  for (let hops = 0; hops < 32; hops++) {
    const ref =
      current !== null && typeof current === 'object' ? (current as Record<string, unknown>).$ref : undefined;
    if (typeof ref !== 'string' || !ref.startsWith('#')) return current;
    current = resolvePointer(document, ref);
  }
  return current;
}

/**
 * Takes out every `$ref` that cannot be followed (to nothing, or to a file or URL left unread), so
 * what remains is read as the rest of its object: an empty schema allows any value.
 */
export function dropDanglingRefs(document: unknown): void {
  const seen = new WeakSet<object>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    const record = node as Record<string, unknown>;
    const ref = record.$ref;
    if (
      ref !== undefined &&
      (typeof ref !== 'string' || refKind(ref) !== 'internal' || resolvePointer(document, ref) === undefined)
    )
      delete record.$ref;
    for (const value of Object.values(record)) walk(value);
  };
  walk(document);
}
