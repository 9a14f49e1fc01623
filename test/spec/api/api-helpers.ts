import { loadSpecText, type SpecResult } from '../../../src/spec/load-spec.js';
import type { ApiDef, ApiOperation, Spec } from '../../../src/spec/types.js';

/** The folder of the API fixtures, as a path from the repository (where tests run). */
export const API_FIXTURES = 'test/fixtures/api';

/** A spec with a client-credentials token and `api` as given (YAML lines under `api:`). */
export function specText(api: string, variables = ''): string {
  return [
    'name: Pets',
    'variables:',
    '  AuthUrl: {default: "https://login.example.com"}',
    '  ClientId: {}',
    '  ClientSecret: {secret: true}',
    ...(variables ? [variables] : []),
    'token:',
    '  url: "{{AuthUrl}}/token"',
    '  grant: client_credentials',
    '  clientId: "{{ClientId}}"',
    '  clientSecret: "{{ClientSecret}}"',
    'api:',
    api,
    '',
  ].join('\n');
}

/** Loads a spec written beside the API fixtures (its `api.openapi` is relative to them). */
export function loadApiSpec(api: string, variables = '', name = 'unit'): Promise<SpecResult> {
  return loadSpecText(specText(api, variables), `${API_FIXTURES}/${name}.yaml`);
}

export async function validApiSpec(api: string, variables = ''): Promise<Spec & { api: ApiDef }> {
  const result = await loadApiSpec(api, variables);
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (!result.spec?.api || errors.length)
    throw new Error(`not valid: ${result.problems.map((p) => `${p.file}: ${p.message}`).join('; ')}`);
  return result.spec as Spec & { api: ApiDef };
}

/** The operation of a method and path. */
export function operation(api: ApiDef, method: string, path: string): ApiOperation {
  const found = api.operations.find((o) => o.method === method && o.path === path);
  if (!found)
    throw new Error(`no ${method} ${path} among ${api.operations.map((o) => `${o.method} ${o.path}`)}`);
  return found;
}
