import { describe, expect, it } from 'vitest';
import { apiRequestHeaders, jsonBodyText } from '../../src/plan/request-plan.js';
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
