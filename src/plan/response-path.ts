// A response path of the spec says where an answer holds a value: `access_token`, `data.token`,
// `items[0].id`, `results[default=true].name`. The schema says which paths are valid; this reads one
// into its steps, so each target says the same steps its own way (the docs as jq). The token script
// reads paths at run time in plain JavaScript (tokenmanLookup), step for step as here.

/** One step of a response path; `text` is the step as written (`items`, `[0]`, `[default=true]`). */
export type PathSegment =
  | { kind: 'key'; key: string; text: string }
  | { kind: 'index'; index: number; text: string }
  /** The first array element whose `key`, as text, equals `value`. */
  | { kind: 'match'; key: string; value: string; text: string };

const SEGMENT = /[^.[\]]+|\[[^\]]*\]/g;

/** The steps of a response path, in order. */
export function parseResponsePath(path: string): PathSegment[] {
  return (path.match(SEGMENT) ?? []).map((text): PathSegment => {
    if (!text.startsWith('[')) return { kind: 'key', key: text, text };
    const inner = text.slice(1, -1);
    const eq = inner.indexOf('=');
    if (eq < 0) return { kind: 'index', index: Number(inner), text };
    return { kind: 'match', key: inner.slice(0, eq), value: inner.slice(eq + 1), text };
  });
}
