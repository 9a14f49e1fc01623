// tokenman writes Postman Collection v2.1 JSON directly; the postman-collection SDK (the code Postman
// and Newman load collections with) is the oracle: it must read every field back as written.
import { readdirSync, readFileSync } from 'node:fs';
import postmanCollection from 'postman-collection';
import { describe, expect, test } from 'vitest';
import { atLeastOne } from '../../support/required.js';
import { DIST_DIR } from '../../support/specs.js';

const { Collection, Url } = postmanCollection;
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
type Parameter = Pair & { disabled?: boolean; description?: { content: string } };
interface WrittenUrl {
  raw: string;
  protocol?: string;
  host?: string[];
  port?: string;
  path?: string[];
  query?: Parameter[];
  variable?: Parameter[];
}
interface WrittenRequest {
  method: string;
  url: string | WrittenUrl;
  header: Parameter[];
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
    const folders = (items: WrittenItem[]): WrittenItem[] =>
      items.flatMap((item) => (item.item ? [item, ...folders(item.item)] : []));
    for (const folder of folders(written.item)) {
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
      const url = typeof w.request.url === 'string' ? { raw: w.request.url } : w.request.url;
      // The SDK writes a URL with each path variable's value in its `:name` segment.
      const values = new Map((url.variable ?? []).map((v) => [v.key, v.value]));
      expect(request.url.toString()).toBe(
        url.raw.replace(/\/:([^/?#]+)/g, (whole, name: string) =>
          values.has(name) ? `/${values.get(name)}` : whole,
        ),
      );
      if (typeof w.request.url === 'object') {
        // Its parts are those Postman's own parser finds in the raw URL, so the app and a runner
        // read the same URL from either.
        const parsed = Url.parse(url.raw) as Omit<WrittenUrl, 'query'>;
        expect([url.protocol, url.host, url.port, url.path]).toEqual([
          parsed.protocol,
          parsed.host,
          parsed.port,
          parsed.path,
        ]);
        // Each query parameter and path variable read back as written, an optional one disabled.
        const query = request.url.query
          .all()
          .map((q) => ({ key: q.key, value: q.value, disabled: !!q.disabled }));
        expect(query).toEqual(
          (url.query ?? []).map((q) => ({ key: q.key, value: q.value, disabled: q.disabled === true })),
        );
        const variables = request.url.variables.all().map((v) => ({
          key: v.key,
          value: v.value,
          description: (v.description as { content?: string } | undefined)?.content,
        }));
        expect(variables).toEqual(
          (url.variable ?? []).map((v) => ({
            key: v.key,
            value: v.value,
            description: v.description?.content,
          })),
        );
        // Every `:name` segment of the path has its value.
        const segments = (url.path ?? []).filter((segment) => segment.startsWith(':'));
        expect(segments.map((segment) => segment.slice(1))).toEqual(variables.map((v) => v.key));
      }
      expect(
        request.headers.all().map((h) => ({ key: h.key, value: h.value, disabled: h.disabled === true })),
      ).toEqual(w.request.header.map((h) => ({ key: h.key, value: h.value, disabled: h.disabled === true })));
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
