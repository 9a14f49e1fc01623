import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSpec } from '../../src/plan/plan-spec.js';
import { operationUrl } from '../../src/plan/request-plan.js';
import { loadSpecText } from '../../src/spec/load-spec.js';
import type { ApiOperation } from '../../src/spec/types.js';
import { API_FIXTURES, specText, validApiSpec } from '../spec/api/api-helpers.js';

const WITH_REQUEST = `requests:
  - name: Who am I
    url: "{{AuthUrl}}/userinfo"
`;

describe('the requests of an API document', async () => {
  const spec = await validApiSpec('  openapi: pets.yaml');
  const plan = planSpec(spec);
  const request = (method: string, path: string) => {
    const found = plan.requests.find((r) => r.operation?.method === method && r.operation.path === path);
    if (!found) throw new Error(`no request for ${method} ${path}`);
    return found;
  };

  it('is one request per operation, keyed by method and path, in the folder of its tag', () => {
    expect(plan.requests.map((r) => r.key)).toEqual(
      spec.api.operations.map((o) => ['operation', o.method, o.path]),
    );
    expect(request('GET', '/pets')).toMatchObject({
      name: 'List pets',
      description: 'Every pet, a page at a time.',
      folder: ['pets'],
      method: 'GET',
      url: '{{ApiUrl}}/v2/pets',
      operation: { method: 'GET', path: '/pets', operationId: 'listPets', tags: ['pets'] },
    });
  });

  it('writes a path parameter of its own segment as :name, its value the environment variable', () => {
    expect(request('DELETE', '/pets/{petId}')).toMatchObject({
      url: '{{ApiUrl}}/v2/pets/:petId',
      pathVariables: [{ name: 'petId', value: '{{PetId}}', description: "The pet's id", enabled: true }],
      expect: 204,
    });
    // Inside a segment no client reads a path variable: the variable itself stands there.
    expect(request('GET', '/pets({key})/photos')).toMatchObject({
      url: '{{ApiUrl}}/v2/pets({{Key}})/photos',
      pathVariables: [],
      expect: null,
    });
  });

  it('sends required query parameters and headers, and shows the optional ones unsent', () => {
    const list = request('GET', '/pets');
    expect(list.query).toEqual([
      { name: 'limit', value: '20', description: 'How many pets to return', enabled: false },
      { name: 'sort', value: '', description: '', enabled: false },
      { name: 'kind', value: 'dog', description: '', enabled: true },
    ]);
    expect(list.headers).toEqual([{ name: 'X-Request-Id', value: 'req-1', description: '', enabled: true }]);
  });

  it('sends a JSON body with its media type', () => {
    const create = request('POST', '/pets');
    expect(create.body?.text).toBe('{\n  "name": "Rex",\n  "born": "2019-08-24"\n}');
    expect(create.headers).toEqual([
      { name: 'Content-Type', value: 'application/json', description: '', enabled: true },
    ]);
    expect(create.expect).toBe(201);
  });

  it('sends the collection’s token, except to an operation that needs none', () => {
    expect(plan.requests.filter((r) => r.auth === 'none').map((r) => r.name)).toEqual(['Inventory']);
    expect(request('GET', '/store/inventory').description).toBe(
      'Sent without a token: the API document says it needs none.',
    );
  });

  it('says what it leaves to the user: a body that is not JSON', () => {
    expect(request('POST', '/store/orders')).toMatchObject({
      body: null,
      description: 'Its `multipart/form-data` body is not written here: add it in the client before sending.',
    });
  });

  it('declares each variable once in every environment: ApiUrl with its server, path parameters empty', () => {
    expect(plan.variables.slice(3).map((v) => v.name)).toEqual(['ApiUrl', 'PetId', 'Key']);
    const values = plan.variants[0]?.environment.values.filter((v) => v.kind === 'declared');
    expect(values?.map((v) => [v.name, v.value])).toEqual([
      ['AuthUrl', 'https://login.example.com'],
      ['ClientId', ''],
      ['ClientSecret', ''],
      ['ApiUrl', 'https://eu.pets.example.com'],
      ['PetId', ''],
      ['Key', ''],
    ]);
  });

  it('is planned the same every time', async () => {
    expect(planSpec(await validApiSpec('  openapi: pets.yaml'))).toEqual(plan);
  });
});

describe('the spec’s own requests', () => {
  it('come first, at the top of the collection', async () => {
    const result = await loadSpecText(
      `${specText('  openapi: pets.yaml')}${WITH_REQUEST}`,
      `${API_FIXTURES}/unit.yaml`,
    );
    const plan = planSpec(result.spec ?? expect.unreachable());
    expect(plan.requests[0]).toMatchObject({
      key: ['request', '0'],
      name: 'Who am I',
      folder: [],
      operation: null,
    });
    expect(plan.requests[1]?.key).toEqual(['operation', 'GET', '/pets']);
  });
});

describe('a rebuild after the vendor adds an operation', () => {
  let temp: string;
  beforeAll(async () => {
    temp = await mkdtemp(path.join(tmpdir(), 'tokenman-plan-'));
  });
  afterAll(async () => {
    await rm(temp, { recursive: true, force: true });
  });

  it('changes only that operation’s request', async () => {
    const document = await readFile(`${API_FIXTURES}/pets.yaml`, 'utf8');
    const spec = path.join(temp, 'pets-spec.yaml');
    await writeFile(spec, specText('  openapi: pets.yaml'));
    const planOf = async (text: string) => {
      await writeFile(path.join(temp, 'pets.yaml'), text);
      const result = await loadSpecText(await readFile(spec, 'utf8'), spec);
      return planSpec(result.spec ?? expect.unreachable()).requests;
    };
    const before = await planOf(document);
    const added = document.replace(
      '  /pets/{petId}:\n',
      [
        '  /pets/{petId}/vaccinations:',
        '    get:',
        '      summary: List vaccinations',
        '      tags: [pets]',
        '      responses:',
        '        "200": {description: ok}',
        '  /pets/{petId}:',
        '',
      ].join('\n'),
    );
    const after = await planOf(added);
    const keyOf = (r: { key: string[] }) => r.key.join(' ');
    expect(after.map(keyOf).filter((key) => !before.map(keyOf).includes(key))).toEqual([
      'operation GET /pets/{petId}/vaccinations',
    ]);
    for (const request of before) expect(after.find((r) => keyOf(r) === keyOf(request))).toEqual(request);
  });
});

describe('operationUrl', () => {
  const operation = (path: string, pathParameters: ApiOperation['pathParameters']): ApiOperation => ({
    method: 'GET',
    path,
    operationId: '',
    tags: [],
    folder: 'Untagged',
    name: path,
    description: '',
    pathParameters,
    query: [],
    headers: [],
    body: null,
    otherBody: '',
    noToken: false,
    successStatus: null,
  });

  it('writes each parameter by whether it is a segment of its own', () => {
    const odata = operation("/Assets/GetRobotAsset(robotId='{robotId}')/{key}", [
      { name: 'robotId', description: '', variable: 'RobotId', segment: false },
      { name: 'key', description: '', variable: 'Key', segment: true },
    ]);
    expect(operationUrl('{{OrchestratorUrl}}', odata)).toBe(
      "{{OrchestratorUrl}}/Assets/GetRobotAsset(robotId='{{RobotId}}')/:key",
    );
  });
});
