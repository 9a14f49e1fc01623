type Json = Record<string, unknown>;

/**
 * The collection with `count` copies of its example requests (the items from `firstExample` on)
 * appended, standing for requests a user adds: a run then proves one token serves them all.
 */
export function withExtraRequests(collection: Json, count: number, firstExample: number): Json {
  const items = collection.item as Json[];
  const examples = items.slice(firstExample);
  if (count <= 0 || examples.length === 0) return collection;
  const extra = Array.from({ length: count }, (_, i) => {
    const source = examples[i % examples.length] as Json;
    return { ...source, id: `${String(source.id)}-extra-${i}`, name: `${String(source.name)} #${i + 2}` };
  });
  return { ...collection, item: [...items, ...extra] };
}
