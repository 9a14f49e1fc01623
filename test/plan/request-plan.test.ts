import { describe, expect, it } from 'vitest';
import { type FolderEntry, requestTree } from '../../src/plan/request-folders.js';
import {
  apiRequestHeaders,
  jsonBodyText,
  type RequestParameter,
  type RequestPlan,
  sentUrl,
  urlQuery,
} from '../../src/plan/request-plan.js';
import type { ApiRequestDef } from '../../src/spec/types.js';

const request = (over: Partial<ApiRequestDef>): ApiRequestDef => ({
  name: 'List',
  description: '',
  method: 'GET',
  url: '{{ApiUrl}}/items',
  headers: [],
  json: undefined,
  expect: null,
  ...over,
});

describe('apiRequestHeaders', () => {
  it('adds a JSON Content-Type after the spec’s own headers when the request has a JSON body', () => {
    expect(apiRequestHeaders(request({ json: { a: 1 }, headers: [['X-Tenant', '{{Tenant}}']] }))).toEqual([
      ['X-Tenant', '{{Tenant}}'],
      ['Content-Type', 'application/json'],
    ]);
  });

  it('keeps a Content-Type the spec sets, in any case, and adds none without a body', () => {
    const own = request({ json: [], headers: [['content-type', 'application/vnd.api+json']] });
    expect(apiRequestHeaders(own)).toEqual([['content-type', 'application/vnd.api+json']]);
    expect(apiRequestHeaders(request({}))).toEqual([]);
  });

  it('sends a JSON body indented by two spaces, with its {{Variables}} left in', () => {
    expect(jsonBodyText({ name: '{{Name}}', tags: ['a'] })).toBe(
      '{\n  "name": "{{Name}}",\n  "tags": [\n    "a"\n  ]\n}',
    );
  });
});

describe('the URL as sent', () => {
  const parameter = (name: string, value: string, enabled: boolean): RequestParameter => ({
    name,
    value,
    description: '',
    enabled,
  });

  it('adds the query parameters that are sent after those the URL writes itself, leaving out optional ones', () => {
    const query = [parameter('limit', '20', false), parameter('kind', '{{Kind}}', true)];
    expect(sentUrl({ url: '{{ApiUrl}}/pets', query })).toBe('{{ApiUrl}}/pets?kind={{Kind}}');
    expect(sentUrl({ url: '{{ApiUrl}}/pets?page=2', query })).toBe('{{ApiUrl}}/pets?page=2&kind={{Kind}}');
    expect(sentUrl({ url: '{{ApiUrl}}/pets', query: [parameter('limit', '20', false)] })).toBe(
      '{{ApiUrl}}/pets',
    );
  });

  it('reads the query a URL writes itself, a ? or & inside a {{Variable}} no separator', () => {
    expect(urlQuery('{{Api?Url}}/users?limit=1&flag&q={{A&B}}#top')).toEqual([
      parameter('limit', '1', true),
      parameter('flag', '', true),
      parameter('q', '{{A&B}}', true),
    ]);
    expect(urlQuery('{{ApiUrl}}/users')).toEqual([]);
    expect(urlQuery('{{ApiUrl}}/users#where?not=query')).toEqual([]);
  });
});

describe('requestTree', () => {
  const planned = (name: string, folder: string[]): RequestPlan => ({
    key: [name],
    name,
    description: '',
    folder,
    method: 'GET',
    url: '',
    pathVariables: [],
    query: [],
    headers: [],
    body: null,
    expect: null,
    auth: 'inherit',
    operation: null,
  });

  it('puts each folder where its first request stands, and each request in its folder in order', () => {
    const requests = [
      planned('Own', []),
      planned('List users', ['Users']),
      planned('List groups', ['Groups']),
      planned('Get user', ['Users']),
      planned('User roles', ['Users', 'Roles']),
    ];
    const names = (entries: FolderEntry[]): unknown[] =>
      entries.map((entry) =>
        entry.request ? entry.request.name : { [entry.folder.path.join('/')]: names(entry.folder.entries) },
      );
    const tree = requestTree(requests);
    expect(names(tree)).toEqual([
      'Own',
      { Users: ['List users', 'Get user', { 'Users/Roles': ['User roles'] }] },
      { Groups: ['List groups'] },
    ]);
  });
});
