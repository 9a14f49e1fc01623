import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_BYTES } from '../../../src/spec/api/read-document.js';
import { loadSpec, loadSpecText, parseSpec } from '../../../src/spec/load-spec.js';
import { API_FIXTURES, loadApiSpec, operation, specText, validApiSpec } from './api-helpers.js';

describe('an OpenAPI 3.0 document', async () => {
  const spec = await validApiSpec('  openapi: pets.yaml');
  const { api } = spec;

  it('keeps the document’s order of paths, and of methods within a path', () => {
    expect(api.operations.map((o) => `${o.method} ${o.path}`)).toEqual([
      'GET /pets',
      'POST /pets',
      'GET /pets/{petId}',
      'PUT /pets/{petId}',
      'DELETE /pets/{petId}',
      'GET /pets({key})/photos',
      'GET /store/inventory',
      'POST /store/orders',
      'POST /trees',
      'GET /health',
    ]);
  });

  it('puts each in the folder of its first tag, or Untagged, named by summary, operationId or method and path', () => {
    expect(api.operations.map((o) => [o.folder, o.name])).toEqual([
      ['pets', 'List pets'],
      ['pets', 'Create a pet'],
      ['pets', 'Show a pet'],
      ['pets', 'Replace a pet'],
      ['pets', 'Delete a pet'],
      ['pets', 'List photos'],
      ['store', 'Inventory'],
      ['store', 'Place an order'],
      ['Untagged', 'plantTree'],
      ['Untagged', 'GET /health'],
    ]);
    expect(operation(api, 'GET', '/pets').description).toBe('Every pet, a page at a time.');
  });

  it('defaults the base URL to the first server, its scheme and host in ApiUrl', () => {
    expect(api.baseUrl).toBe('{{ApiUrl}}/v2');
    expect(api.variables[0]).toMatchObject({ name: 'ApiUrl', default: 'https://eu.pets.example.com' });
  });

  it('gives each path parameter one variable, declared once, empty', () => {
    expect(api.variables.map((v) => [v.name, v.default])).toEqual([
      ['ApiUrl', 'https://eu.pets.example.com'],
      ['PetId', ''],
      ['Key', ''],
    ]);
    expect(operation(api, 'GET', '/pets/{petId}').pathParameters).toEqual([
      { name: 'petId', description: "The pet's id", variable: 'PetId', segment: true },
    ]);
    // A parameter inside a segment (OData) is no path variable a client can hold.
    expect(operation(api, 'GET', '/pets({key})/photos').pathParameters).toEqual([
      { name: 'key', description: '', variable: 'Key', segment: false },
    ]);
  });

  it('keeps query parameters and headers with their examples, required or not; never Accept, Authorization or cookies', () => {
    const list = operation(api, 'GET', '/pets');
    expect(list.query).toEqual([
      { name: 'limit', required: false, description: 'How many pets to return', values: ['20'] },
      // Optional, and nothing to go by: left for the user, not "string".
      { name: 'sort', required: false, description: '', values: [''] },
      // An array in the query is repeated, one value each (OpenAPI's default, explode).
      { name: 'kind', required: true, description: '', values: ['dog'] },
    ]);
    expect(list.headers).toEqual([
      { name: 'X-Request-Id', required: true, description: '', values: ['req-1'] },
    ]);
  });

  it('writes a JSON body from the schema, without read-only properties', () => {
    expect(operation(api, 'POST', '/pets').body).toEqual({
      mediaType: 'application/json',
      value: { name: 'Rex', born: '2019-08-24' },
    });
  });

  it('prefers the operation’s own example, a $ref in it kept as data', () => {
    expect(operation(api, 'PUT', '/pets/{petId}').body?.value).toEqual({
      name: 'Rex',
      schema: { $ref: '#/definitions/base' },
    });
  });

  it('writes a recursive schema to a depth, and keeps a JSON media type of the vendor’s', () => {
    const body = operation(api, 'POST', '/trees').body;
    expect(body?.mediaType).toBe('application/vnd.trees+json');
    expect(body?.value).toMatchObject({ name: 'string', children: [{ name: 'string' }] });
  });

  it('leaves a body that is not JSON to the user, saying its media type', () => {
    const order = operation(api, 'POST', '/store/orders');
    expect(order.body).toBeNull();
    expect(order.otherBody).toBe('multipart/form-data');
  });

  it('knows an operation that needs no token (security: []) from those that inherit the document’s', () => {
    expect(api.operations.filter((o) => o.noToken).map((o) => o.path)).toEqual(['/store/inventory']);
  });

  it('expects the one documented 2xx status, and any 2xx otherwise', () => {
    expect(operation(api, 'POST', '/pets').successStatus).toBe(201);
    expect(operation(api, 'GET', '/pets/{petId}').successStatus).toBe(200);
    expect(operation(api, 'PUT', '/pets/{petId}').successStatus).toBeNull();
    expect(operation(api, 'GET', '/pets({key})/photos').successStatus).toBeNull();
    expect(operation(api, 'GET', '/health').successStatus).toBeNull();
  });

  it('names every file it read', () => {
    expect(api.files).toEqual([`${API_FIXTURES}/pets.yaml`]);
  });
});

describe('selecting operations', () => {
  const selected = async (selection: string) =>
    (await validApiSpec(`  openapi: pets.yaml\n${selection}`)).api.operations.map(
      (o) => `${o.method} ${o.path}`,
    );

  it('includes by tag: an operation with the tag anywhere in its list', async () => {
    expect(await selected('  include: {tags: [store]}')).toEqual([
      'GET /store/inventory',
      'POST /store/orders',
    ]);
  });

  it('includes by path glob: * within a segment, ** across segments, braces literal', async () => {
    expect(await selected('  include: {paths: ["/pets/*"]}')).toEqual([
      'GET /pets/{petId}',
      'PUT /pets/{petId}',
      'DELETE /pets/{petId}',
    ]);
    expect(await selected('  include: {paths: ["/store/**", "/health"]}')).toEqual([
      'GET /store/inventory',
      'POST /store/orders',
      'GET /health',
    ]);
  });

  it('includes by operationId or METHOD /path, and excludes after including', async () => {
    expect(
      await selected(
        '  include: {operations: [createPet, "get /pets/{petId}"], tags: [store]}\n  exclude: {tags: [pets]}',
      ),
    ).toEqual(['POST /store/orders']);
  });

  it('reports an include entry that selects nothing, with the name it likely meant', async () => {
    const result = await loadApiSpec('  openapi: pets.yaml\n  include: {tags: [pets, Stor]}');
    expect(result.spec).toBeUndefined();
    expect(result.problems).toMatchObject([
      {
        severity: 'error',
        ruleId: 'api-selects-nothing',
        message: 'api.include.tags[1] selects no operation: the document has no operation tagged "Stor"',
        hint: 'did you mean "store"?',
        file: `${API_FIXTURES}/unit.yaml`,
        position: { line: 13 },
      },
    ]);
  });
});

describe('base URL and path variables', () => {
  it('takes api.baseUrl as given, and declares no ApiUrl', async () => {
    const { api } = await validApiSpec('  openapi: pets.yaml\n  baseUrl: "{{PetsUrl}}/v3/"', '  PetsUrl: {}');
    expect(api.baseUrl).toBe('{{PetsUrl}}/v3');
    expect(api.variables.map((v) => v.name)).toEqual(['PetId', 'Key']);
  });

  it('reuses a variable the spec declares, in the spec’s spelling, and counts it as used', async () => {
    const result = await loadApiSpec('  openapi: pets.yaml', '  PetID: {default: "42"}');
    expect(result.problems).toEqual([]);
    const api = result.spec?.api;
    expect(api?.variables.map((v) => v.name)).toEqual(['ApiUrl', 'Key']);
    expect(api && operation(api, 'GET', '/pets/{petId}').pathParameters[0]?.variable).toBe('PetID');
  });

  it('fills a parameter from the variable api.pathVariables names', async () => {
    const { api } = await validApiSpec('  openapi: pets.yaml\n  pathVariables: {petId: Pet, key: PhotoKey}');
    expect(api.variables.map((v) => v.name)).toEqual(['ApiUrl', 'Pet', 'PhotoKey']);
  });
});

describe('Swagger 2.0', async () => {
  const { api } = await validApiSpec('  openapi: swagger2.yaml');

  it('takes the server from schemes (https first), host and basePath', () => {
    expect(api.baseUrl).toBe('{{ApiUrl}}/v1');
    expect(api.variables[0]).toMatchObject({ name: 'ApiUrl', default: 'https://items.example.com:8443' });
  });

  it('reads parameters as OpenAPI 3 would: x-example, csv joined, multi repeated, $ref followed', () => {
    const get = operation(api, 'GET', '/items/{id}');
    expect(get.pathParameters.map((p) => p.variable)).toEqual(['Id']);
    expect(get.query).toEqual([
      { name: 'verbose', required: false, description: '', values: ['true'] },
      { name: 'ids', required: true, description: '', values: ['0'] },
      { name: 'tag', required: true, description: '', values: ['string'] },
    ]);
  });

  it('makes the body parameter the JSON body, and a form one the user’s', () => {
    expect(operation(api, 'POST', '/items').body).toEqual({
      mediaType: 'application/json',
      value: { name: 'widget', parent: { name: 'widget' } },
    });
    expect(operation(api, 'POST', '/items/upload').otherBody).toBe('multipart/form-data');
  });
});

describe('a document of several files (OpenAPI 3.1)', async () => {
  const { api } = await validApiSpec('  openapi: multi/openapi.yaml');

  it('reads the files its $refs name, and their operations', () => {
    expect(api.operations.map((o) => `${o.method} ${o.path}`)).toEqual([
      'GET /pets',
      'POST /pets',
      'GET /pets/{petId}',
      'GET /trees',
    ]);
    expect(api.files).toEqual([
      `${API_FIXTURES}/multi/openapi.yaml`,
      `${API_FIXTURES}/multi/paths/pets.yaml`,
      `${API_FIXTURES}/multi/schemas/pet.yaml`,
    ]);
    expect(operation(api, 'POST', '/pets').body?.value).toMatchObject({ name: 'Rex' });
  });
});

describe('the vendored documents', () => {
  it.each([
    ['okta', 'specs/apis/okta/management-minimal.yaml', 732],
    ['uipath', 'specs/apis/uipath-orchestrator/orchestrator.yaml', 418],
    ['keycloak', 'specs/apis/keycloak/23.0.7.json', 316],
  ])('%s loads with every operation', async (name, document, count) => {
    const result = await loadSpecText(
      specText(`  openapi: ${path.basename(document)}`),
      path.join(path.dirname(document), `${name}.yaml`),
    );
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(result.spec?.api?.operations).toHaveLength(count);
  });
});

describe('a $ref that points at nothing', () => {
  const keycloak = (selection: string) =>
    loadSpecText(specText(`  openapi: 23.0.7.json\n${selection}`), 'specs/apis/keycloak/unit.yaml');

  it('is a warning where it is written, when a selected operation uses it', async () => {
    const result = await keycloak('');
    expect(result.spec).toBeDefined();
    expect(result.problems).toMatchObject([
      {
        severity: 'warning',
        ruleId: 'api-ref-missing',
        message:
          '$ref "#/components/schemas/oas_any_type_not_mapped" points at nothing; it is read as any value',
        file: 'specs/apis/keycloak/23.0.7.json',
        position: { line: 13610, col: 21 },
      },
    ]);
  });

  it('is nothing to the operations that do not use it', async () => {
    const result = await keycloak('  include: {tags: [Users]}');
    expect(result.problems).toEqual([]);
    expect(result.spec?.api?.operations).toHaveLength(33);
  });
});

describe('reading the document', () => {
  it('is left to loadSpec: parseSpec reads no other file', () => {
    const result = parseSpec(specText('  openapi: pets.yaml'), `${API_FIXTURES}/unit.yaml`);
    expect(result.spec).toBeUndefined();
    expect(result.problems).toMatchObject([{ severity: 'error', ruleId: 'api-needs-file' }]);
  });

  describe('a document too large to read', () => {
    let temp: string;
    beforeAll(async () => {
      temp = await mkdtemp(path.join(tmpdir(), 'tokenman-api-'));
    });
    afterAll(async () => {
      await rm(temp, { recursive: true, force: true });
    });

    it('is refused before it is read, with its size', async () => {
      // Sparse: 50 MiB long without writing 50 MiB.
      await writeFile(path.join(temp, 'huge.json'), '');
      await truncate(path.join(temp, 'huge.json'), 50 * 1024 * 1024);
      expect(MAX_DOCUMENT_BYTES).toBeLessThan(50 * 1024 * 1024);
      const spec = path.join(temp, 'huge.yaml');
      await writeFile(spec, specText('  openapi: huge.json'));
      const result = await loadSpec(spec);
      expect(result.spec).toBeUndefined();
      expect(result.problems).toMatchObject([
        {
          severity: 'error',
          ruleId: 'api-document-too-large',
          message: `the API document ${path.join(temp, 'huge.json')} is 50 MiB; tokenman reads documents of at most 32 MiB`,
          file: spec,
          position: { line: 12, col: 12 },
        },
      ]);
    });
  });
});
