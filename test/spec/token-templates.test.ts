import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOKEN_TEMPLATE_FIELDS, tokenTemplateFields } from '../../src/spec/token-templates.js';

const schema = JSON.parse(readFileSync(new URL('../../schema/spec.schema.json', import.meta.url), 'utf8'));

describe('tokenTemplateFields', () => {
  it('lists every string field of the schema’s token request that is a template', () => {
    const properties: Record<string, { $ref?: string; type?: string }> =
      schema.definitions.TokenRequest.properties;
    const templates = Object.entries(properties)
      .filter(([, p]) => p.$ref === '#/definitions/Template')
      .map(([name]) => name);
    // url, discovery, refreshToken, subjectToken and apiKey are plain strings in the schema (for
    // their descriptions) but templates too.
    expect([...TOKEN_TEMPLATE_FIELDS].sort()).toEqual(
      [...templates, 'url', 'discovery', 'refreshToken', 'subjectToken', 'apiKey'].sort(),
    );
  });

  it('reads the spec’s maps and the plan’s pairs alike, fields first, then params, then headers', () => {
    const written = {
      url: '{{AuthUrl}}/token',
      clientId: '{{ClientId}}',
      scope: 'read',
      headers: { 'X-Tenant': '{{Tenant}}' },
      params: { audience: '{{Audience}}' },
    };
    const expected = [
      [['url'], '{{AuthUrl}}/token'],
      [['clientId'], '{{ClientId}}'],
      [['scope'], 'read'],
      [['params', 'audience'], '{{Audience}}'],
      [['headers', 'X-Tenant'], '{{Tenant}}'],
    ];
    expect(tokenTemplateFields(written)).toEqual(expected);
    const normalized = {
      ...written,
      headers: Object.entries(written.headers),
      params: Object.entries(written.params),
    };
    expect(tokenTemplateFields(normalized)).toEqual(expected);
  });

  it('reads an assertion as written (a mapping or a variable) and as planned', () => {
    expect(
      tokenTemplateFields({ assertion: { key: '{{PrivateKey}}', issuer: '{{Email}}' }, scope: 's' }),
    ).toEqual([
      [['scope'], 's'],
      [['assertion', 'key'], '{{PrivateKey}}'],
      [['assertion', 'issuer'], '{{Email}}'],
    ]);
    expect(tokenTemplateFields({ assertion: '{{Assertion}}' })).toEqual([[['assertion'], '{{Assertion}}']]);
    expect(tokenTemplateFields({ assertion: { source: 'variable', value: '{{Assertion}}' } })).toEqual([
      [['assertion'], '{{Assertion}}'],
    ]);
    expect(tokenTemplateFields({ assertion: null })).toEqual([]);
  });
});
