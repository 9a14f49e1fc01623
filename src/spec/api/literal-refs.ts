// A `$ref` inside an example payload is data, not a reference: Okta's management document has
// thirteen (`{"$ref": "#/definitions/base"}` in a JSON Schema it shows as an example), Azure's
// `x-ms-examples` name files that were never published. The reference resolver follows every
// `$ref` it meets, so those are renamed while the document is read (document-refs.ts) and named
// back in the bodies written. Other `x-` extensions are left alone: Okta's `x-webhooks` holds real
// references.

/** What a literal `$ref` key is called while the document is resolved. */
export const LITERAL_REF = 'x-tokenman-literal-ref';

const EXAMPLE_EXTENSION = /^x-.*examples?$/i;

/**
 * The example payloads a key of the document holds (whose `$ref`s are data), or undefined when it
 * holds no example: `example`, `x-…example(s)`, JSON Schema's `examples` list, an `examples` map's
 * values (Example Objects, themselves maybe real `$ref`s), or Swagger 2.0's media type → payload.
 */
export function examplePayloads(key: string, value: unknown): unknown[] | undefined {
  if (key === 'example' || EXAMPLE_EXTENSION.test(key)) return [value];
  if (key !== 'examples' || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return [value];
  const payloads: unknown[] = [];
  for (const example of Object.values(value)) {
    if (example === null || typeof example !== 'object') continue;
    if ('value' in example) payloads.push(example.value);
    else if (!('$ref' in example) && !('externalValue' in example)) payloads.push(example);
  }
  return payloads;
}

/** Renames the `$ref` keys of an example payload; `seen` guards a payload YAML anchors share. */
export function hideRefsIn(payload: unknown, seen: WeakSet<object> | undefined): void {
  if (payload === null || typeof payload !== 'object') return;
  if (seen) {
    if (seen.has(payload)) return;
    seen.add(payload);
  }
  if (Array.isArray(payload)) {
    for (const item of payload) hideRefsIn(item, seen);
    return;
  }
  const record = payload as Record<string, unknown>;
  for (const key in record) {
    if (key === '$ref') {
      record[LITERAL_REF] = record.$ref;
      delete record.$ref;
    } else hideRefsIn(record[key], seen);
  }
}

/** A copy of an example value with its literal `$ref` keys named back. */
export function restoreLiteralRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(restoreLiteralRefs);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    copy[key === LITERAL_REF ? '$ref' : key] = restoreLiteralRefs(item);
  return copy;
}
