// Where a place of an API document is written: file, line and column. The parser that reads a
// document keeps no positions, so a problem's place is found again here, parsing the files once
// more only when there is a problem to place. js-yaml's node events give each node's offset for
// about the cost of reading the file (`yaml`'s own documents cost ten times that on a document of
// megabytes, which a build would pay for every warning).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import jsYaml from 'js-yaml';
import type { Position } from '../problem.js';

/** A path into a document as a JSON value: mapping keys and list indexes. */
export type DocumentPath = ReadonlyArray<string | number>;

export interface DocumentPlace {
  file: string;
  position: Position;
  end?: Position;
  /** The `$ref` written there, when the place is one. */
  ref?: string;
}

/** A node of a file as written: where it starts and ends, and its children in order. */
interface Written {
  kind: string;
  start: number;
  end: number;
  /** A scalar's value. */
  value?: unknown;
  /** A mapping's keys and values, alternating; a sequence's items. */
  children: Written[];
}

interface ParsedFile {
  text: string;
  root: Written;
  lineStarts: number[];
}

/** Finds places in one document and the files its `$ref`s name; each file is parsed once. */
export class DocumentPositions {
  private readonly parsed = new Map<string, ParsedFile | null>();

  /**
   * @param root the document's path as messages show it; the files its `$ref`s name are shown
   *   relative to it the same way.
   */
  constructor(readonly root: string) {}

  /**
   * The place of `at` in `file`, as written there (no `$ref` followed): its key, or with `value`
   * the value itself; falls back to the nearest ancestor the file has.
   */
  inFile(file: string, at: DocumentPath, point: 'key' | 'value' = 'key'): DocumentPlace {
    const parsed = this.parse(file);
    if (!parsed) return { file, position: { line: 1, col: 1 } };
    let node: Written | undefined = parsed.root;
    let best = node;
    at.forEach((segment, index) => {
      const step = child(node, segment);
      if (!step || !node) {
        node = undefined;
        return;
      }
      best = point === 'value' && index === at.length - 1 ? step.value : (step.key ?? step.value);
      node = step.value;
    });
    return place(file, parsed, best);
  }

  /** The `$ref` written at `at` in `file`: the place of its text. */
  refIn(file: string, at: DocumentPath): DocumentPlace {
    return this.inFile(file, [...at, '$ref'], 'value');
  }

  /**
   * The place of `at` read as the document means it: a `$ref` met on the way is followed into the
   * place (or file) it names, so a path of the bundled document finds the file it came from. The
   * last step is not followed: a path that ends on a `$ref` points at that `$ref`.
   */
  logical(at: DocumentPath): DocumentPlace {
    let file = this.root;
    let parsed = this.parse(file);
    if (!parsed) return { file, position: { line: 1, col: 1 } };
    let node: Written | undefined = parsed.root;
    let best = node;
    for (const segment of at) {
      // Bounded: a chain of $refs longer than this is a cycle, reported elsewhere.
      for (let hops = 0; hops < 50; hops++) {
        const ref = refOf(node);
        if (ref === undefined) break;
        const target = this.follow(file, ref);
        if (!target) break;
        ({ file, parsed, node } = target);
      }
      const step = child(node, segment);
      if (!step) break;
      best = step.key ?? step.value;
      node = step.value;
    }
    const ref = refValueNode(node);
    const found = place(file, parsed, ref ?? best);
    return ref ? { ...found, ref: String(ref.value) } : found;
  }

  /** The text of the `$ref` written at a place, if one is. */
  refAt(file: string, at: DocumentPath): string | undefined {
    const parsed = this.parse(file);
    if (!parsed) return undefined;
    let node: Written | undefined = parsed.root;
    for (const segment of at) {
      node = child(node, segment)?.value;
      if (node === undefined) return undefined;
    }
    return refOf(node);
  }

  private follow(
    from: string,
    ref: string,
  ): { file: string; parsed: ParsedFile; node: Written | undefined } | undefined {
    const hash = ref.indexOf('#');
    const target = hash < 0 ? ref : ref.slice(0, hash);
    const pointer = hash < 0 ? '' : ref.slice(hash + 1);
    const file = target === '' ? from : path.join(path.dirname(from), decodeURIComponent(target));
    const parsed = this.parse(file);
    if (!parsed) return undefined;
    let node: Written | undefined = parsed.root;
    for (const segment of pointerSegments(pointer)) {
      node = child(node, segment)?.value;
      if (node === undefined) return undefined;
    }
    return { file, parsed, node };
  }

  private parse(file: string): ParsedFile | null {
    let parsed = this.parsed.get(file);
    if (parsed === undefined) {
      try {
        parsed = writtenNodes(readFileSync(file, 'utf8'));
      } catch {
        parsed = null;
      }
      this.parsed.set(file, parsed);
    }
    return parsed;
  }
}

/** Every node of a YAML (or JSON) text with its offsets, from js-yaml's open and close events. */
function writtenNodes(source: string): ParsedFile {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const open: Written[] = [];
  let root: Written | undefined;
  jsYaml.load(text, {
    schema: jsYaml.JSON_SCHEMA,
    // As the document was read: a repeated key is the last one's, as in JSON.parse.
    json: true,
    listener(event, state) {
      const at = state as unknown as { position: number; kind: string | null; result: unknown };
      if (event === 'open') {
        open.push({ kind: '', start: at.position, end: at.position, children: [] });
        return;
      }
      let node = open.pop();
      if (!node) return;
      node.kind = at.kind ?? '';
      node.end = at.position;
      if (node.kind === 'scalar') node.value = at.result;
      // A flow collection read where a block one could start comes wrapped in a node of its kind
      // that ends with it: the collection itself is the child.
      const only = node.children.length === 1 ? node.children[0] : undefined;
      if (only && only.kind === node.kind && only.end === node.end) node = only;
      const parent = open[open.length - 1];
      if (parent) parent.children.push(node);
      else root = node;
    },
  });
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  return { text, root: root ?? { kind: '', start: 0, end: 0, children: [] }, lineStarts };
}

/** The segments of a JSON pointer (`/paths/~1users/get` → paths, /users, get). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((segment) => {
      let text = segment;
      // Read on every $ref followed: the common segment, with neither, costs nothing.
      if (text.includes('%')) {
        try {
          text = decodeURIComponent(text);
        } catch {
          // A stray % is taken as it stands.
        }
      }
      return text.includes('~') ? text.replace(/~1/g, '/').replace(/~0/g, '~') : text;
    });
}

function child(
  node: Written | undefined,
  segment: string | number,
): { key?: Written; value: Written } | undefined {
  if (!node) return undefined;
  if (node.kind === 'mapping') {
    for (let i = 0; i + 1 < node.children.length; i += 2) {
      const key = node.children[i] as Written;
      if (String(key.value) === String(segment)) return { key, value: node.children[i + 1] as Written };
    }
    return undefined;
  }
  if (node.kind === 'sequence' && /^\d+$/.test(String(segment))) {
    const item = node.children[Number(segment)];
    return item ? { value: item } : undefined;
  }
  return undefined;
}

function refValueNode(node: Written | undefined): Written | undefined {
  const value = child(node, '$ref')?.value;
  return value?.kind === 'scalar' && typeof value.value === 'string' ? value : undefined;
}

function refOf(node: Written | undefined): string | undefined {
  const value = refValueNode(node)?.value;
  return typeof value === 'string' ? value : undefined;
}

function place(file: string, parsed: ParsedFile, node: Written | undefined): DocumentPlace {
  if (!node) return { file, position: { line: 1, col: 1 } };
  // A node's event comes before the spaces, line breaks and comments ahead of it.
  let start = node.start;
  const { text } = parsed;
  for (;;) {
    while (start < node.end && /\s/.test(text.charAt(start))) start++;
    if (text.charAt(start) !== '#' || start >= node.end) break;
    while (start < node.end && text.charAt(start) !== '\n') start++;
  }
  return { file, position: positionAt(parsed, start), end: positionAt(parsed, Math.max(start, node.end)) };
}

function positionAt(parsed: ParsedFile, offset: number): Position {
  const { lineStarts } = parsed;
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((lineStarts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, col: offset - (lineStarts[low] ?? 0) + 1 };
}
