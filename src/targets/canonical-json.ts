// Generated files are compared byte for byte (build --check) and reviewed as diffs, so their key
// order is fixed here rather than left to whichever library built the object.
const KEY_ORDER = [
  '_postman_id',
  'id',
  'name',
  'key',
  'value',
  'type',
  'enabled',
  'listen',
  'schema',
  'info',
  'item',
  'event',
  'script',
  'exec',
  'request',
  'method',
  'header',
  'url',
  'raw',
  'protocol',
  'host',
  'port',
  'path',
  'query',
  'body',
  'mode',
  'auth',
  'description',
  'response',
  'values',
  'variable',
  '_postman_variable_scope',
];
const RANK = new Map(KEY_ORDER.map((key, index) => [key, index]));

function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  // Known keys first in KEY_ORDER; any other key after them, in the order the object had it.
  entries.sort(([a], [b]) => (RANK.get(a) ?? KEY_ORDER.length) - (RANK.get(b) ?? KEY_ORDER.length));
  return Object.fromEntries(entries.map(([key, v]) => [key, ordered(v)]));
}

/** Deterministic JSON text: fixed key order, two-space indent, LF, one trailing newline. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(ordered(value), null, 2)}\n`;
}
