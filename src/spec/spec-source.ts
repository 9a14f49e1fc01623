import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { Position, Problem, Severity } from './problem.js';

/** A path into the spec as a JSON value: mapping keys and list indexes. */
export type SpecPath = ReadonlyArray<string | number>;

export interface ProblemInit {
  ruleId: string;
  message: string;
  hint?: string | undefined;
  severity?: Severity;
}

export interface PointAt {
  path: SpecPath;
  /** Point at the key of the last path segment instead of its value (unknown keys, bad names). */
  key?: boolean;
  /** Narrow to the n-th occurrence (0-based) of this text in the node's source (a `{{Name}}` reference). */
  substring?: { text: string; occurrence: number };
}

/**
 * The parsed YAML document with what is needed to turn a path in the JSON value back into
 * `line:col`. Validation works on plain values; only a problem's position needs the YAML nodes.
 */
export class SpecSource {
  constructor(
    readonly file: string,
    readonly text: string,
    readonly doc: Document.Parsed,
    readonly lineCounter: LineCounter,
  ) {}

  problem(init: ProblemInit, at: PointAt): Problem {
    return {
      ruleId: init.ruleId,
      severity: init.severity ?? 'error',
      message: init.message,
      ...(init.hint ? { hint: init.hint } : {}),
      file: this.file,
      ...this.locate(at),
    };
  }

  /** The position of a path; falls back to the nearest ancestor that exists in the document. */
  locate(at: PointAt): { position: Position; end?: Position } {
    for (let length = at.path.length; length >= 0; length--) {
      const path = at.path.slice(0, length);
      const wantKey = at.key === true && length === at.path.length;
      const node = wantKey ? this.keyNode(path) : this.valueNode(path);
      if (!node?.range) continue;
      let [start, end] = node.range;
      if (at.substring && length === at.path.length) {
        const found = nthIndexOf(this.text.slice(start, end), at.substring.text, at.substring.occurrence);
        if (found >= 0) {
          start += found;
          end = start + at.substring.text.length;
        }
      }
      return this.span(start, end);
    }
    return { position: { line: 1, col: 1 } };
  }

  span(start: number, end: number): { position: Position; end: Position } {
    return { position: this.linePos(start), end: this.linePos(end) };
  }

  linePos(offset: number): Position {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, col };
  }

  /** The YAML node holding the value at `path`, following aliases to their anchors. */
  valueNode(path: SpecPath): Node | undefined {
    let node: unknown = this.doc.contents;
    for (const segment of path) {
      node = this.resolve(node);
      const pair = pairOf(node, segment);
      if (pair) {
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
      } else {
        return undefined;
      }
    }
    // An alias is reported where it is written, not where its anchor is.
    return isAlias(node) || isScalar(node) || isMap(node) || isSeq(node) ? node : undefined;
  }

  /** The key node of the last segment of `path` (for a list item, the item itself). */
  keyNode(path: SpecPath): Node | undefined {
    if (path.length === 0) return this.valueNode(path);
    const parent = this.resolve(this.valueNode(path.slice(0, -1)));
    const last = path[path.length - 1] as string | number;
    const key = pairOf(parent, last)?.key;
    if (isScalar(key) || isAlias(key)) return key;
    return this.valueNode(path);
  }

  private resolve(node: unknown): unknown {
    let current = node;
    // Bounded: an alias can only refer to an anchor defined before it, so chains end.
    for (let i = 0; i < 100 && isAlias(current); i++) current = current.resolve(this.doc);
    return current;
  }
}

function pairOf(node: unknown, segment: string | number) {
  if (!isMap(node)) return undefined;
  return node.items.find(
    (pair) => isPair(pair) && isScalar(pair.key) && String(pair.key.value) === String(segment),
  );
}

function nthIndexOf(haystack: string, needle: string, occurrence: number): number {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) {
    index = haystack.indexOf(needle, index + 1);
    if (index < 0) return -1;
  }
  return index;
}

/** A path as a reader writes it: `token.response.token`, `requests[0].url`, `spec` for the root. */
export function pathLabel(path: SpecPath): string {
  if (path.length === 0) return 'spec';
  let label = '';
  for (const segment of path) {
    if (typeof segment === 'number') label += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) label += label ? `.${segment}` : segment;
    else label += `[${JSON.stringify(segment)}]`;
  }
  return label;
}
