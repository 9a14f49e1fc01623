import { describe, expect, it } from 'vitest';
import { didYouMean } from '../../src/spec/did-you-mean.js';
import { specIdFromFile } from '../../src/spec/spec-id.js';
import { fillTemplate, leadingVariable, templateVariables } from '../../src/spec/template.js';

describe('templateVariables', () => {
  it.each([
    ['{{AuthUrl}}/oauth/token', ['AuthUrl']],
    ['https://{{Sub}}.{{Region}}.example.com/{{Sub}}', ['Sub', 'Region']],
    ['Bearer {{Token}}', ['Token']],
    ['no variables', []],
    ['{{ Spaced }} and {{}}', [' Spaced ', '']],
    ['{{{Odd}}}', ['Odd']],
  ])('%s', (template, names) => {
    expect(templateVariables(template)).toEqual(names);
  });
});

describe('leadingVariable', () => {
  it.each([
    ['{{AuthUrl}}/oauth/token', 'AuthUrl'],
    ['{{Host}}{{Path}}', 'Host'],
    ['https://{{Host}}/token', undefined],
    [' {{Host}}', undefined],
    ['{{ Spaced }}/x', ' Spaced '],
    ['no variables', undefined],
  ])('%s', (template, name) => {
    expect(leadingVariable(template)).toBe(name);
  });
});

describe('fillTemplate', () => {
  it('replaces each reference and keeps the text around it, $ patterns included', () => {
    const values: Record<string, string> = { Host: 'https://h.example', Id: "$&'$1" };
    const filled = fillTemplate('{{Host}}/a/{{Id}}/{{Id}}?x={{Missing}}', (ref) => values[ref.name] ?? '');
    expect(filled).toBe("https://h.example/a/$&'$1/$&'$1?x=");
  });

  it('tells where each reference stands', () => {
    expect(fillTemplate('{{A}}:{{B}}', (ref) => `${ref.index}+${ref.length}`)).toBe('0+5:6+5');
  });
});

describe('specIdFromFile', () => {
  it.each([
    ['specs/sap-ai-core.yaml', 'sap-ai-core'],
    ['specs/uipath.yml', 'uipath'],
    ['/abs/path/2fa-vendor.yaml', '2fa-vendor'],
  ])('%s is %s', (file, id) => {
    expect(specIdFromFile(file)).toEqual({ id });
  });

  it.each([['specs/SAP.yaml'], ['specs/my_vendor.yaml'], ['specs/-x.yaml'], ['specs/a.b.yaml']])(
    'refuses %s',
    (file) => {
      expect(specIdFromFile(file).problem).toMatchObject({ ruleId: 'spec-id', severity: 'error', file });
    },
  );
});

describe('didYouMean', () => {
  it.each([
    ['clientSecrte', ['clientId', 'clientSecret'], 'clientSecret'],
    ['client-credentials', ['client_credentials', 'password'], 'client_credentials'],
    ['post', ['POST', 'GET'], 'POST'],
    ['ClientSecrt', ['AuthUrl', 'ClientSecret'], 'ClientSecret'],
    ['header', ['basic', 'body', 'none'], undefined],
    ['x', ['url', 'grant'], undefined],
  ])('%s → %s', (input, candidates, expected) => {
    expect(didYouMean(input, candidates)).toBe(expected);
  });
});
