// `tokenman attach` and a build of a spec with api.collection, as a user runs them: the files
// written, the switched auths and missing variables listed, and each bad input refused with one
// sentence, exit 1 and nothing written.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ROOT, runCli } from '../support/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'tokenman-attach-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
cpSync(join(ROOT, 'test/fixtures/attach'), work, { recursive: true });
const COLLECTION = 'shop.postman_collection.json';
const original = readFileSync(join(work, COLLECTION), 'utf8');

const SWITCHED = [
  `${COLLECTION}:30:7: warning: request "Orders / List orders" had its own oauth2 auth; it now inherits the collection's Bearer {{Token}}`,
  `${COLLECTION}:123:7: warning: request "Orders / Get order" had its own bearer auth; it now inherits the collection's Bearer {{Token}}`,
];
const REPLACED = `${COLLECTION}:248:2: warning: the collection's own oauth2 auth is replaced by Bearer {{Token}}, which tokenman's pre-request script fetches`;
const UNDECLARED = `${COLLECTION}:165:9: warning: {{TraceId}} is sent by request "Orders / Create order", but no environment declares it and the collection gives it no value`;

describe('tokenman attach', () => {
  test('writes the collection and its environment into attached/, lists what it changed, leaves the input as it was', async () => {
    const result = await runCli(['attach', COLLECTION, '--spec', 'shop.yaml'], { cwd: work });
    expect(result.code, result.stderr).toBe(0);
    for (const line of [REPLACED, ...SWITCHED, UNDECLARED]) expect(result.stderr).toContain(line);
    expect(result.stdout).toBe(
      [
        'wrote   attached/shop.postman_collection.json',
        'wrote   attached/shop.postman_environment.json',
        `5 request(s) of ${COLLECTION} now send the token; 2 had auth of their own, switched to inherit it (listed above)`,
        '',
      ].join('\n'),
    );
    const written = JSON.parse(readFileSync(join(work, 'attached', COLLECTION), 'utf8'));
    expect(written.info.name).toBe('Shop');
    expect(written.item.map((item: { name: string }) => item.name)).toEqual([
      'Get token',
      'Orders',
      'Stock',
      'Health',
    ]);
    expect(written.auth).toMatchObject({ type: 'bearer' });
    const environment = JSON.parse(
      readFileSync(join(work, 'attached', 'shop.postman_environment.json'), 'utf8'),
    );
    expect(environment.values.map((v: { key: string }) => v.key)).toContain('ShopUrl');
    expect(readFileSync(join(work, COLLECTION), 'utf8')).toBe(original);

    // Once more: the same files, not written again.
    const again = await runCli(['attach', COLLECTION, '--spec', 'shop.yaml'], { cwd: work });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('same    attached/shop.postman_collection.json');
  });

  test('--json says the same for a machine', async () => {
    const result = await runCli(['attach', COLLECTION, '--spec', 'shop.yaml', '--out', 'as-json', '--json'], {
      cwd: work,
    });
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({
      ok: true,
      errors: 0,
      warnings: 4,
      written: { written: ['shop.postman_collection.json', 'shop.postman_environment.json'] },
      requests: { total: 5, switched: 2 },
    });
    expect(json.problems.map((p: { ruleId: string }) => p.ruleId)).toEqual([
      'collection-auth-replaced',
      'collection-auth-switched',
      'collection-auth-switched',
      'collection-undeclared-variable',
    ]);
  });

  test('refuses to write over the collection it reads', async () => {
    const inPlace = join(work, 'in-place');
    mkdirSync(inPlace);
    cpSync(join(work, COLLECTION), join(inPlace, 'shop.postman_collection.json'));
    const result = await runCli(
      ['attach', 'in-place/shop.postman_collection.json', '--spec', 'shop.yaml', '--out', 'in-place'],
      {
        cwd: work,
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'is the collection in-place/shop.postman_collection.json, which this command reads; give another path, so it stays as it is',
    );
    expect(result.stderr).not.toContain('    at ');
    expect(readFileSync(join(inPlace, 'shop.postman_collection.json'), 'utf8')).toBe(original);
  });

  const BAD: Array<[string, (file: string) => void, string]> = [
    [
      'not JSON',
      (file) => writeFileSync(file, '{\n  "info": {\n    "name": "Shop",\n  }\n}\n'),
      'bad.json:4:3: error: the collection is not valid JSON',
    ],
    [
      'a Collection v1 export',
      (file) =>
        writeFileSync(file, JSON.stringify({ id: 'c1', name: 'Shop', order: [], requests: [] }, null, 2)),
      'bad.json:5:3: error: this is a Postman Collection v1 export (it has requests and no info.schema); tokenman reads Collection v2.1',
    ],
    [
      'a JSON file that is no collection',
      (file) => writeFileSync(file, '{"openapi": "3.0.3", "paths": {}}'),
      'bad.json:1:1: error: this is not a Postman collection: it has no info.schema',
    ],
    ['a missing file', () => undefined, 'bad.json: error: the collection bad.json does not exist'],
    [
      'a file over the size limit',
      (file) => {
        writeFileSync(file, '');
        truncateSync(file, 33 * 1024 * 1024);
      },
      'bad.json: error: the collection bad.json is 33 MiB; tokenman reads collections of at most 32 MiB',
    ],
  ];
  test.each(BAD)('refuses %s with one sentence, and writes nothing', async (_, make, sentence) => {
    const dir = mkdtempSync(join(work, 'bad-'));
    cpSync(join(work, 'shop.yaml'), join(dir, 'shop.yaml'));
    make(join(dir, 'bad.json'));
    const result = await runCli(['attach', 'bad.json', '--spec', 'shop.yaml', '--out', 'out'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(sentence);
    expect(result.stderr).toContain('1 error(s); nothing was written to out/');
    expect(result.stderr).not.toMatch(/unexpected error| {4}at /);
    // A collection that cannot be read says nothing of the spec's variables being unused.
    expect(result.stderr).not.toContain('never used');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('tokenman build of a spec with api.collection', () => {
  test('writes the collection with the token, and lists the switched auths and the undeclared variable', async () => {
    const result = await runCli(['build', 'shop.yaml', '--out', 'dist'], { cwd: work });
    expect(result.code, result.stderr).toBe(0);
    for (const line of [REPLACED, ...SWITCHED, UNDECLARED]) expect(result.stderr).toContain(line);
    const collection = JSON.parse(readFileSync(join(work, 'dist', COLLECTION), 'utf8'));
    expect(collection.event.map((e: { listen: string }) => e.listen)).toEqual([
      'prerequest',
      'prerequest',
      'test',
    ]);
    expect(collection.item[1].item[0].request.auth).toBeUndefined();
    expect(collection.item[2].item[0].request.auth).toMatchObject({ type: 'apikey' });
  });
});
