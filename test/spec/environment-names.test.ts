import { describe, expect, it } from 'vitest';
import { processEnvNames, upperSnake } from '../../src/spec/environment-names.js';
import { parseSpec } from '../../src/spec/load-spec.js';
import type { Spec } from '../../src/spec/types.js';
import { ambiguousProcessEnv, valuesFromProcessEnv } from '../../src/values/environment-values.js';

/** A valid spec of this file name whose variables are these (each used in a header). */
function spec(file: string, variables: string[]): Spec {
  const text = `name: X
variables:
  AuthUrl: {}
${variables.map((v) => `  ${v}: {}`).join('\n')}
token:
  url: "{{AuthUrl}}/token"
  grant: client_credentials
  clientAuth: none
  clientId: "{{AuthUrl}}"
  headers:
${variables.map((v) => `    X-${v}: "{{${v}}}"`).join('\n')}
`;
  const { spec: parsed, problems } = parseSpec(text, file);
  if (!parsed) throw new Error(problems.map((p) => p.message).join('; '));
  return parsed;
}

describe('TOKENMAN_ names', () => {
  it('are upper snake case, the spec scoped one first', () => {
    expect(upperSnake('ClientID')).toBe('CLIENT_ID');
    expect(upperSnake('Client_Id')).toBe('CLIENT_ID');
    expect(processEnvNames('sap-ai-core', 'ClientSecret')).toEqual([
      'TOKENMAN_SAP_AI_CORE_CLIENT_SECRET',
      'TOKENMAN_CLIENT_SECRET',
    ]);
  });
});

describe('ambiguousProcessEnv', () => {
  const sap = spec('specs/sap.yaml', ['AiCoreClientSecret']);
  const aiCore = spec('specs/sap-ai-core.yaml', ['ClientSecret']);

  it("refuses a set name that is two specs' scoped names", () => {
    const problems = ambiguousProcessEnv([sap, aiCore], { TOKENMAN_SAP_AI_CORE_CLIENT_SECRET: 'x' });
    expect(problems.map((p) => [p.file, p.message])).toEqual([
      [
        'specs/sap-ai-core.yaml',
        'TOKENMAN_SAP_AI_CORE_CLIENT_SECRET is set, and both variable "AiCoreClientSecret" of specs/sap.yaml and variable "ClientSecret" of specs/sap-ai-core.yaml read it; tokenman will not guess which one it is for, so nothing was sent',
      ],
    ]);
  });

  it("refuses a set name that is one spec's scoped name and another's shared name", () => {
    const client = spec('specs/client.yaml', ['Secret']);
    const problems = ambiguousProcessEnv([client, aiCore], { TOKENMAN_CLIENT_SECRET: 'x' });
    expect(problems.map((p) => p.message)).toEqual([
      'TOKENMAN_CLIENT_SECRET is set, and both variable "Secret" of specs/client.yaml and variable "ClientSecret" of specs/sap-ai-core.yaml read it; tokenman will not guess which one it is for, so nothing was sent',
    ]);
  });

  it('lets specs share TOKENMAN_<VARIABLE>, and says nothing of names not set or read by one spec', () => {
    const other = spec('specs/other.yaml', ['ClientSecret']);
    expect(
      ambiguousProcessEnv([aiCore, other], { TOKENMAN_CLIENT_SECRET: 'x', TOKENMAN_AUTH_URL: 'u' }),
    ).toEqual([]);
    expect(ambiguousProcessEnv([sap, aiCore], {})).toEqual([]);
    expect(ambiguousProcessEnv([sap], { TOKENMAN_SAP_AI_CORE_CLIENT_SECRET: 'x' })).toEqual([]);
    expect(
      valuesFromProcessEnv(sap.id, ['AiCoreClientSecret'], { TOKENMAN_SAP_AI_CORE_CLIENT_SECRET: 'x' }),
    ).toEqual({
      AiCoreClientSecret: 'x',
    });
  });
});
