// tokenman writes Postman Collection v2.1 JSON directly; the postman-collection SDK (the code Postman
// and Newman load collections with) is the oracle: it must read every field back as written.
import { readdirSync, readFileSync } from 'node:fs';
import postmanCollection from 'postman-collection';
import { describe, expect, test } from 'vitest';
import { atLeastOne } from '../../support/required.js';
import { DIST_DIR } from '../../support/specs.js';

const { Collection } = postmanCollection;
const goldenDir = new URL('../../fixtures/golden/', import.meta.url);
const files = [
  ...atLeastOne(
    readdirSync(DIST_DIR)
      .filter((name) => name.endsWith('.postman_collection.json'))
      .map((name) => new URL(name, DIST_DIR)),
    'Postman collections in dist/',
  ),
  ...atLeastOne(
    readdirSync(goldenDir).flatMap((dir) =>
      readdirSync(new URL(`${dir}/`, goldenDir))
        .filter((name) => name.endsWith('.postman_collection.json'))
        .map((name) => new URL(`${dir}/${name}`, goldenDir)),
    ),
    'Postman collections in test/fixtures/golden',
  ),
];

type Pair = { key: string; value: string };
interface WrittenRequest {
  method: string;
  url: string;
  header: Pair[];
  body?: { mode: string; raw?: string; urlencoded?: Pair[]; formdata?: Pair[] };
  auth?: { type: string; basic?: Pair[] };
}
interface WrittenItem {
  id: string;
  name: string;
  request: WrittenRequest;
  /** A folder's items; a folder has no request. */
  item?: WrittenItem[];
  event?: Array<{ listen: string; script: { exec: string[] } }>;
}

type SdkItem = InstanceType<typeof postmanCollection.Item>;
type SdkGroup = InstanceType<typeof postmanCollection.ItemGroup>;

/** Every request of a written collection, in order, folders opened. */
function writtenRequests(items: WrittenItem[]): WrittenItem[] {
  return items.flatMap((item) => (item.item ? writtenRequests(item.item) : [item]));
}

describe.each(files.map((url) => [url.pathname.split('/').slice(-1)[0], url] as const))('%s', (_, url) => {
  const written = JSON.parse(readFileSync(url, 'utf8'));
  const collection = new Collection(written);

  test('collection-level fields', () => {
    expect(collection.id).toBe(written.info._postman_id);
    expect(collection.name).toBe(written.info.name);
    expect(collection.auth?.type).toBe('bearer');
    expect(collection.auth?.parameters().get('token')).toBe('{{Token}}');
    const events = collection.events.all().map((e) => [e.listen, e.script.exec]);
    expect(events).toEqual(
      written.event.map((e: { listen: string; script: { exec: string[] } }) => [e.listen, e.script.exec]),
    );
  });

  test('every folder as written, its test script included', () => {
    const folders = (written.item as WrittenItem[]).filter((item) => item.item);
    for (const folder of folders) {
      const read = collection.items.one(folder.id) as unknown as SdkGroup;
      expect(read.name).toBe(folder.name);
      expect(read.items.all().map((i) => (i as { id: string }).id)).toEqual(folder.item?.map((i) => i.id));
      expect(read.events.all().map((e) => [e.listen, e.script.exec])).toEqual(
        (folder.event ?? []).map((e) => [e.listen, e.script.exec]),
      );
    }
  });

  test('every request as written', () => {
    const items: SdkItem[] = [];
    collection.forEachItem((item) => {
      items.push(item);
    });
    const requests = writtenRequests(written.item);
    expect(items.map((i) => [i.id, i.name])).toEqual(requests.map((i) => [i.id, i.name]));
    requests.forEach((w: WrittenItem, index: number) => {
      const request = items[index]?.request;
      if (!request) throw new Error(`item ${w.name} has no request`);
      expect(request.method).toBe(w.request.method);
      expect(request.url.toString()).toBe(w.request.url);
      expect(request.headers.all().map((h) => ({ key: h.key, value: h.value }))).toEqual(w.request.header);
      expect(request.body?.mode).toBe(w.request.body?.mode);
      if (w.request.body?.raw !== undefined) expect(request.body?.raw).toBe(w.request.body.raw);
      for (const mode of ['urlencoded', 'formdata'] as const) {
        const pairs = w.request.body?.[mode];
        if (pairs) {
          const read = (request.body?.[mode]?.all() ?? []) as Array<{ key: string; value: string }>;
          expect(read.map((p) => ({ key: p.key, value: p.value }))).toEqual(
            pairs.map((p) => ({ key: p.key, value: p.value })),
          );
        }
      }
      expect(request.auth?.type).toBe(w.request.auth?.type);
      if (w.request.auth?.basic) {
        const params = request.auth?.parameters();
        expect([params?.get('username'), params?.get('password')]).toEqual(
          w.request.auth.basic.map((p) => p.value),
        );
      }
    });
  });
});
