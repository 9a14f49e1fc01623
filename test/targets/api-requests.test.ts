// The requests of an API document as a user finds them in each client: Postman v2.1, Collection v3
// and Bruno list the same requests in the same folders in the same order, each with the same path
// variables, query parameters, headers and token; and a request keeps its id and its file when the
// vendor adds an operation before it.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { type Plan, planSpec } from '../../src/plan/plan-spec.js';
import { loadSpecText } from '../../src/spec/load-spec.js';
import type { Artifact } from '../../src/targets/artifact.js';
import { generateBrunoArtifacts } from '../../src/targets/bruno/generate-bruno.js';
import { generateCollection } from '../../src/targets/postman/generate-collection.js';
import { generateCollectionV3 } from '../../src/targets/postman/generate-collection-v3.js';
import { API_FIXTURES, specText } from '../spec/api/api-helpers.js';
import { loadValidSpec, SPECS_DIR } from '../support/specs.js';

const OWN_REQUEST = `requests:
  - name: Who am I
    url: "{{AuthUrl}}/userinfo?fields=all"
`;

async function petsPlan(dir = API_FIXTURES): Promise<Plan> {
  const result = await loadSpecText(`${specText('  openapi: pets.yaml')}${OWN_REQUEST}`, `${dir}/unit.yaml`);
  if (!result.spec) throw new Error(result.problems.map((p) => p.message).join('; '));
  return planSpec(result.spec);
}

/** A request as a user compares it across clients. */
interface Seen {
  folder: string;
  name: string;
  method: string;
  url: string;
  pathVariables: string[];
  query: string[];
  headers: string[];
  token: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: the generated files are read as the loose JSON and YAML they are
type Json = Record<string, any>;

const pair = (key: string, value: unknown, disabled?: unknown) =>
  `${key}=${value ?? ''}${disabled ? ' (off)' : ''}`;

/** The requests of a v2.1 collection, folders opened, its "Get token" requests left out. */
function postmanRequests(plan: Plan): Seen[] {
  const collection = generateCollection(plan) as { item: Json[] };
  const walk = (items: Json[], folder: string[]): Seen[] =>
    items.flatMap((item) => {
      if (item.item) return walk(item.item, [...folder, item.name]);
      const { request } = item;
      return [
        {
          folder: folder.join('/'),
          name: item.name,
          method: request.method,
          url: request.url.raw,
          pathVariables: (request.url.variable ?? []).map((v: Json) => pair(v.key, v.value)),
          query: (request.url.query ?? []).map((q: Json) => pair(q.key, q.value, q.disabled)),
          headers: request.header.map((h: Json) => pair(h.key, h.value, h.disabled)),
          token: request.auth?.type !== 'noauth',
        },
      ];
    });
  const tokenItems = plan.tokenFolder ? 1 : plan.variants.length;
  return walk(collection.item.slice(tokenItems), []);
}

/** The files of one folder of a generated tree, relative to it. */
function filesUnder(artifacts: Artifact[], root: string): Map<string, string> {
  return new Map(
    artifacts
      .filter((a) => a.fileName.startsWith(`${root}/`))
      .map((a) => [a.fileName.slice(root.length + 1), a.content]),
  );
}

/** The folders and request files directly in `dir` ('' for the top) of a file tree. */
function level(files: Map<string, string>, dir: string) {
  const prefix = dir ? `${dir}/` : '';
  const here = [...files.keys()]
    .filter((name) => name.startsWith(prefix))
    .map((name) => name.slice(prefix.length));
  return {
    files: here.filter((name) => !name.includes('/')),
    dirs: [...new Set(here.filter((name) => name.includes('/')).map((name) => name.split('/')[0] ?? ''))],
  };
}

/** The requests of the v3 collection: each level in its `order`, folders opened where they stand. */
function v3Requests(plan: Plan): Seen[] {
  const files = filesUnder(generateCollectionV3(plan), `postman/collections/${plan.id}`);
  const walk = (dir: string, folder: string[]): Seen[] => {
    const { files: here, dirs } = level(files, dir);
    const prefix = dir ? `${dir}/` : '';
    const entries = [
      ...here
        .filter((name) => name.endsWith('.request.yaml'))
        .map((name) => ({ yaml: parse(files.get(`${prefix}${name}`) ?? '') as Json, name, dir: '' })),
      ...dirs
        .filter((name) => name !== '.resources')
        .map((name) => ({
          yaml: parse(files.get(`${prefix}${name}/.resources/definition.yaml`) ?? '') as Json,
          name,
          dir: `${prefix}${name}`,
        })),
    ].sort((a, b) => a.yaml.order - b.yaml.order);
    return entries.flatMap(({ yaml, name, dir: sub }) => {
      if (sub) return walk(sub, [...folder, yaml.name ?? name]);
      return [
        {
          folder: folder.join('/'),
          name: yaml.name ?? name.slice(0, -'.request.yaml'.length),
          method: yaml.method,
          url: yaml.url,
          pathVariables: (yaml.pathVariables ?? []).map((v: Json) => pair(v.key, v.value)),
          query: (yaml.queryParams ?? []).map((q: Json) => pair(q.key, q.value, q.disabled)),
          headers: (yaml.headers ?? []).map((h: Json) => pair(h.key, h.value, h.disabled)),
          token: yaml.auth?.type !== 'noauth',
        },
      ];
    });
  };
  return walk('', []).filter((request) => !request.name.startsWith('Get token'));
}

/** The requests of the Bruno collection as Bruno runs them: a level's folders by seq, then its requests by seq. */
function brunoRequests(plan: Plan): Seen[] {
  const files = filesUnder(generateBrunoArtifacts(plan), `bruno/${plan.id}`);
  const walk = (dir: string, folder: string[]): Seen[] => {
    const { files: here, dirs } = level(files, dir);
    const prefix = dir ? `${dir}/` : '';
    const folders = dirs
      .filter((name) => name !== 'environments')
      .map((name) => ({ name, yaml: parse(files.get(`${prefix}${name}/folder.yml`) ?? '') as Json }))
      .sort((a, b) => a.yaml.info.seq - b.yaml.info.seq);
    const requests = here
      .filter((name) => name !== 'opencollection.yml' && name !== 'folder.yml')
      .map((name) => parse(files.get(`${prefix}${name}`) ?? '') as Json)
      .sort((a, b) => a.info.seq - b.info.seq);
    return [
      ...folders.flatMap(({ name, yaml }) => walk(`${prefix}${name}`, [...folder, yaml.info.name])),
      ...requests.map(({ info, http }): Seen => {
        const params = (http.params ?? []) as Json[];
        return {
          folder: folder.join('/'),
          name: info.name,
          method: http.method,
          url: http.url,
          pathVariables: params.filter((p) => p.type === 'path').map((p) => pair(p.name, p.value)),
          query: params.filter((p) => p.type === 'query').map((p) => pair(p.name, p.value, p.disabled)),
          headers: (http.headers ?? []).map((h: Json) => pair(h.name, h.value, h.disabled)),
          token: http.auth === 'inherit',
        };
      }),
    ];
  };
  return walk('', []).filter((request) => !request.name.startsWith('Get token'));
}

/** The requests of each folder in order, and the folders in the order they first appear. */
function byFolder(requests: Seen[]) {
  const folders = new Map<string, Seen[]>();
  for (const request of requests)
    folders.set(request.folder, [...(folders.get(request.folder) ?? []), request]);
  return { order: [...folders.keys()].filter(Boolean), folders };
}

const seedPlans = await Promise.all(
  ['keycloak', 'okta', 'uipath-orchestrator'].map(async (id) =>
    planSpec(await loadValidSpec(new URL(`${id}.yaml`, SPECS_DIR).pathname)),
  ),
);
const plans = [await petsPlan(), ...seedPlans];

describe.each(plans.map((plan) => [plan.id, plan] as const))('%s', (_, plan) => {
  const postman = postmanRequests(plan);

  test('Postman v2.1 lists every request, the spec’s own first, then a folder per tag as the plan has them', () => {
    const folderOf = (request: Plan['requests'][number]) => request.folder.join('/');
    const top = plan.requests.filter((request) => !request.folder.length);
    const folders = [...new Set(plan.requests.map(folderOf).filter(Boolean))];
    const expected = [
      ...top,
      ...folders.flatMap((folder) => plan.requests.filter((request) => folderOf(request) === folder)),
    ];
    expect(folders.length).toBeGreaterThan(1);
    expect(postman.map((r) => [r.folder, r.name])).toEqual(expected.map((r) => [folderOf(r), r.name]));
  });

  test('Collection v3 lists the same requests in the same folders in the same order, each the same', () => {
    expect(v3Requests(plan)).toEqual(postman);
  });

  test('Bruno lists the same requests in the same folders in the same order, each the same', () => {
    // Bruno lists (and runs) a level's folders before its requests: each folder, and the order of
    // the folders, are Postman's.
    const bruno = byFolder(brunoRequests(plan));
    const expected = byFolder(postman);
    expect(bruno.order).toEqual(expected.order);
    expect(bruno.folders).toEqual(expected.folders);
  });
});

describe('an operation that needs no token, and the parameters of one', async () => {
  const plan = await petsPlan();
  const postman = postmanRequests(plan);
  const find = (name: string) => {
    const found = postman.find((r) => r.name === name);
    if (!found) throw new Error(`no ${name} among ${postman.map((r) => r.name)}`);
    return found;
  };

  test('is sent without the token by every client', () => {
    const noToken = plan.requests.filter((r) => r.auth === 'none');
    expect(noToken.length).toBeGreaterThan(0);
    for (const request of noToken) expect(find(request.name).token).toBe(false);
    expect(find('List pets').token).toBe(true);
  });

  test('sends a required query parameter in the URL and lists an optional one disabled', () => {
    expect(find('List pets')).toMatchObject({
      url: '{{ApiUrl}}/v2/pets?kind=dog',
      query: ['limit=20 (off)', 'sort= (off)', 'kind=dog'],
    });
    // A query string the spec writes itself is listed too, before any of the plan's.
    expect(find('Who am I')).toMatchObject({ url: '{{AuthUrl}}/userinfo?fields=all', query: ['fields=all'] });
  });
});

describe('an operation added before the others', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  test('leaves every other request its id, its folder’s id and its files', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tokenman-api-'));
    dirs.push(dir);
    await cp(API_FIXTURES, dir, { recursive: true });
    const before = await petsPlan(dir);
    const document = await readFile(path.join(dir, 'pets.yaml'), 'utf8');
    const added = `paths:
  /aardvarks/{aardvarkId}:
    get:
      operationId: getAardvark
      summary: Get an aardvark
      tags: [pets]
      parameters:
        - {name: aardvarkId, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
`;
    await writeFile(path.join(dir, 'pets.yaml'), document.replace('paths:\n', added));
    const after = await petsPlan(dir);
    expect(after.requests.length).toBe(before.requests.length + 1);

    const ids = (plan: Plan) => {
      const found = new Map<string, string>();
      const walk = (items: Json[]) => {
        for (const item of items) {
          found.set(item.name, item.id);
          if (item.item) walk(item.item);
        }
      };
      walk((generateCollection(plan) as { item: Json[] }).item);
      return found;
    };
    const old = ids(before);
    const now = ids(after);
    expect(now.get('Get an aardvark')).toBeDefined();
    now.delete('Get an aardvark');
    expect(now).toEqual(old);

    // The same file names: re-importing or pulling the folder updates them instead of adding copies.
    const names = (artifacts: Artifact[]) =>
      artifacts.map((a) => a.fileName).filter((n) => !/aardvark/i.test(n));
    expect(names(generateCollectionV3(after)).sort()).toEqual(names(generateCollectionV3(before)).sort());
    expect(names(generateBrunoArtifacts(after)).sort()).toEqual(names(generateBrunoArtifacts(before)).sort());
  });
});
