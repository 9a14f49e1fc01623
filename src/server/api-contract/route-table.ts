// Which operation of an API document a request is: its path, less the base path the collection
// puts before every operation's (`/admin/realms`), matched against each path template segment by
// segment. A path with a literal segment wins over a template (`/users/me` over `/users/{id}`), as
// OpenAPI says it does.
import { type DocumentOperation, listOperations } from '../../spec/api/list-operations.js';

export type RouteMatch =
  /** The operation, and the value of each of its path parameters as sent (decoded). */
  | { kind: 'operation'; operation: DocumentOperation; pathValues: Record<string, string> }
  /** The document has the path, but not with this method. */
  | { kind: 'other-method'; path: string; methods: string[] }
  /** The document does not describe the path: not a request of this API. */
  | { kind: 'none' };

interface Template {
  path: string;
  /** Per segment: a literal, or a pattern with the names of its parameters. */
  segments: Array<{ literal: string } | { pattern: RegExp; names: string[] }>;
  /** Literal segments first: how specific the template is. */
  rank: number[];
  operations: DocumentOperation[];
}

export class RouteTable {
  private readonly templates: Template[];

  constructor(document: Record<string, unknown>) {
    const byPath = new Map<string, Template>();
    for (const operation of listOperations(document)) {
      let template = byPath.get(operation.path);
      if (!template) {
        template = compile(operation.path);
        byPath.set(operation.path, template);
      }
      template.operations.push(operation);
    }
    this.templates = [...byPath.values()];
  }

  /**
   * The operation a request is, its path given as sent (percent-encoded, no query) and the base
   * path that stands before every operation's path.
   */
  match(method: string, requestPath: string, basePath: string): RouteMatch {
    const base = basePath.replace(/\/+$/, '');
    if (base && requestPath !== base && !requestPath.startsWith(`${base}/`)) return { kind: 'none' };
    const rest = requestPath.slice(base.length) || '/';
    const segments = rest.split('/').slice(1).map(decodeSegment);
    let best: { template: Template; values: Record<string, string> } | undefined;
    for (const template of this.templates) {
      const values = matchSegments(template, segments);
      if (!values) continue;
      if (!best || moreSpecific(template.rank, best.template.rank)) best = { template, values };
    }
    if (!best) return { kind: 'none' };
    const upper = method.toUpperCase();
    // A HEAD is a GET without its body, whether or not the document writes it.
    const operation =
      best.template.operations.find((o) => o.method === upper) ??
      (upper === 'HEAD' ? best.template.operations.find((o) => o.method === 'GET') : undefined);
    if (!operation)
      return {
        kind: 'other-method',
        path: best.template.path,
        methods: best.template.operations.map((o) => o.method),
      };
    return { kind: 'operation', operation, pathValues: best.values };
  }
}

function compile(path: string): Template {
  const parts = path.split('/').slice(1);
  const segments: Template['segments'] = parts.map((part) => {
    if (!/\{[^{}]+\}/.test(part)) return { literal: part };
    const names: string[] = [];
    const source = part
      .split(/(\{[^{}]+\})/)
      .map((piece) => {
        const name = /^\{([^{}]+)\}$/.exec(piece)?.[1];
        if (name === undefined) return piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(name);
        return '(.*?)';
      })
      .join('');
    return { pattern: new RegExp(`^${source}$`), names };
  });
  return {
    path,
    segments,
    rank: segments.map((segment) => ('literal' in segment ? 1 : 0)),
    operations: [],
  };
}

function matchSegments(template: Template, segments: string[]): Record<string, string> | undefined {
  // A trailing slash names the same resource as none.
  const sent = segments.length > 1 && segments.at(-1) === '' ? segments.slice(0, -1) : segments;
  if (sent.length !== template.segments.length) return undefined;
  const values: Record<string, string> = {};
  for (const [index, segment] of template.segments.entries()) {
    const text = sent[index] ?? '';
    if ('literal' in segment) {
      if (segment.literal !== text) return undefined;
      continue;
    }
    const found = segment.pattern.exec(text);
    if (!found) return undefined;
    segment.names.forEach((name, at) => {
      values[name] = found[at + 1] ?? '';
    });
  }
  return values;
}

/** Whether rank `a` is more specific than `b`: the first segment where they differ is literal in `a`. */
function moreSpecific(a: number[], b: number[]): boolean {
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    if (a[index] !== b[index]) return (a[index] ?? 0) > (b[index] ?? 0);
  }
  return false;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
