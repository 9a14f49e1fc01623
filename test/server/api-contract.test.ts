// Contract mode: an API call of a path the client's document describes is checked against the
// document (real HTTP to the real embedded server) and answered with its documented example; a
// call the document would refuse gets a 4xx that says, in the document's terms, what is wrong.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { readApiDocument } from '../../src/spec/api/api-document.js';
import type { ApiDef } from '../../src/spec/types.js';
import { bearer, call, postForm } from './helpers.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

async function documentOf(file: string): Promise<Record<string, unknown>> {
  const document = await readApiDocument({ document: file } as ApiDef);
  if (!document) throw new Error(`${file} does not read`);
  return document;
}

describe('contract mode', () => {
  let server: TokenServer;
  let token: string;
  let swaggerToken: string;

  async function tokenOf(clientId: string): Promise<string> {
    const res = await postForm(`${server.url}/oauth/token`, {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: 's3cret',
    });
    expect(res.status).toBe(200);
    return res.json.access_token;
  }

  beforeAll(async () => {
    server = await startTokenServer();
    for (const clientId of ['shop', 'swagger', 'plain'])
      server.register({
        clientId,
        clientSecret: 's3cret',
        grants: ['client_credentials'],
        tokenEndpointPath: '/oauth/token',
      });
    server.holdToApi('shop', {
      document: await documentOf(fixture('contract/apis/inventory.yaml')),
      basePath: '/shop/v1',
    });
    server.holdToApi('swagger', {
      document: await documentOf(fixture('api/swagger2.yaml')),
      basePath: '/v1',
    });
    token = await tokenOf('shop');
    swaggerToken = await tokenOf('swagger');
  });
  afterAll(() => server.close());

  const get = (path: string, headers: Record<string, string> = {}, withToken = token) =>
    call(`${server.url}${path}`, { headers: { ...bearer(withToken), ...headers } });
  const post = (path: string, body: string, contentType = 'application/json', withToken = token) =>
    call(`${server.url}${path}`, {
      method: 'POST',
      headers: { ...bearer(withToken), 'content-type': contentType },
      body,
    });

  it('answers an operation with its documented example and status', async () => {
    const list = await get('/shop/v1/items?max=3');
    expect(list.status).toBe(200);
    expect(list.json).toEqual([{ id: 7, name: 'hammer', note: null }]);

    const made = await post('/shop/v1/items', JSON.stringify({ name: 'saw', note: null }));
    expect(made.status).toBe(201);
    // Sampled from the schema: the answer has the item's properties.
    expect(made.json).toMatchObject({ name: 'hammer' });

    const gone = await call(`${server.url}/shop/v1/items/7`, { method: 'DELETE', headers: bearer(token) });
    expect(gone.status).toBe(204);
    expect(gone.text).toBe('');
  });

  it('refuses a query parameter of the wrong type in the document’s words, in the body and the status line', async () => {
    const res = await get('/shop/v1/items?max=ten');
    expect(res.status).toBe(400);
    expect(res.json.error_description).toBe('GET /items: query parameter "max" must be integer');
    const response = await fetch(`${server.url}/shop/v1/items?max=0`, { headers: bearer(token) });
    expect(response.status).toBe(400);
    expect(response.statusText).toBe('GET /items: query parameter "max" must be >= 1');
  });

  it('refuses a request without a required header', async () => {
    const without = await get('/shop/v1/search');
    expect(without.status).toBe(400);
    expect(without.json.error_description).toBe('GET /search: header "X-Shop" is required');
    expect((await get('/shop/v1/search', { 'X-Shop': 'main' })).status).toBe(200);
  });

  it('refuses a body that does not match the schema, and one of a media type the operation does not take', async () => {
    const wrong = await post('/shop/v1/items', JSON.stringify({ note: 5 }));
    expect(wrong.status).toBe(400);
    expect(wrong.json.error_description).toBe(
      "POST /items: body must have required property 'name'; body/note must be string or null",
    );
    // A read-only property is the server's to set: a request need not send it.
    expect((await post('/shop/v1/items', JSON.stringify({ name: 'saw' }))).status).toBe(201);
    expect((await post('/shop/v1/items', '{"name":')).json.error_description).toBe(
      'POST /items: body is not JSON',
    );
    const empty = await call(`${server.url}/shop/v1/items`, { method: 'POST', headers: bearer(token) });
    expect(empty.json.error_description).toBe('POST /items: a request body is required');
    const text = await post('/shop/v1/items', 'saw', 'text/plain');
    expect(text.status).toBe(415);
    expect(text.json.error_description).toContain('Content-Type "text/plain" is not one the operation takes');
  });

  it('refuses a method the document does not have for a path', async () => {
    const res = await call(`${server.url}/shop/v1/items/7`, { method: 'PUT', headers: bearer(token) });
    expect(res.status).toBe(405);
    expect(res.json.error_description).toBe(
      'PUT /items/{itemId}: the API document has no PUT for this path, only GET, DELETE',
    );
  });

  it('answers an operation marked security: [] without a token, and no other', async () => {
    const health = await call(`${server.url}/shop/v1/health`);
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'up' });
    expect((await call(`${server.url}/shop/v1/items`)).status).toBe(401);
  });

  it('answers a path the document does not describe as before, and holds only its own client to it', async () => {
    const other = await get('/shop/userinfo');
    expect(other.status).toBe(200);
    expect(other.json).toMatchObject({ ok: true, path: '/shop/userinfo' });
    const plain = await get('/shop/v1/items?max=ten', {}, await tokenOf('plain'));
    expect(plain.status).toBe(200);
    expect(plain.json).toMatchObject({ ok: true });
  });

  it('reads a Swagger 2.0 document: parameters of its types, its body parameter, a recursive schema', async () => {
    const ok = await get('/v1/items/4?ids=1,2&tag=a&tag=b', {}, swaggerToken);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ name: 'widget' });
    const badId = await get('/v1/items/four?ids=1&tag=a', {}, swaggerToken);
    expect(badId.json.error_description).toBe('GET /items/{id}: path parameter "id" must be integer');
    const badIds = await get('/v1/items/4?ids=1,x&tag=a', {}, swaggerToken);
    expect(badIds.json.error_description).toBe('GET /items/{id}: query parameter "ids"/1 must be integer');
    const missing = await get('/v1/items/4?ids=1', {}, swaggerToken);
    expect(missing.json.error_description).toBe('GET /items/{id}: query parameter "tag" is required');
    const nested = await post(
      '/v1/items',
      JSON.stringify({ name: 'a', parent: { name: 7 } }),
      'application/json',
      swaggerToken,
    );
    expect(nested.status).toBe(400);
    expect(nested.json.error_description).toBe('POST /items: body/parent/name must be string');
    const made = await post(
      '/v1/items',
      JSON.stringify({ name: 'a', parent: { name: 'b' } }),
      'application/json',
      swaggerToken,
    );
    expect(made.status).toBe(201);
  });

  it('reads each version’s schemas as it writes them: 3.0’s boolean exclusiveMinimum, 3.1’s type lists', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'tokenman-contract-versions-'));
    try {
      const documentOf30Or31 = async (openapi: string, schema: object) => {
        const file = join(folder, `${openapi}.json`);
        writeFileSync(
          file,
          JSON.stringify({
            openapi,
            info: { title: 'Counts', version: '1' },
            paths: {
              '/counts': {
                get: {
                  parameters: [{ name: 'n', in: 'query', required: true, schema }],
                  responses: { '200': { description: 'ok' } },
                },
              },
            },
          }),
        );
        return documentOf(file);
      };
      for (const clientId of ['v30', 'v31'])
        server.register({
          clientId,
          clientSecret: 's3cret',
          grants: ['client_credentials'],
          tokenEndpointPath: '/oauth/token',
        });
      server.holdToApi('v30', {
        document: await documentOf30Or31('3.0.3', { type: 'integer', minimum: 0, exclusiveMinimum: true }),
        basePath: '/v30',
      });
      server.holdToApi('v31', {
        document: await documentOf30Or31('3.1.0', { type: ['integer', 'null'], exclusiveMinimum: 0 }),
        basePath: '/v31',
      });
      const v30 = await tokenOf('v30');
      const v31 = await tokenOf('v31');
      expect((await get('/v30/counts?n=1', {}, v30)).status).toBe(200);
      expect((await get('/v30/counts?n=0', {}, v30)).json.error_description).toBe(
        'GET /counts: query parameter "n" must be > 0',
      );
      expect((await get('/v31/counts?n=1', {}, v31)).status).toBe(200);
      expect((await get('/v31/counts?n=0', {}, v31)).json.error_description).toBe(
        'GET /counts: query parameter "n" must be > 0',
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
