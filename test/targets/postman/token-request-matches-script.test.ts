// The visible "Get token" request (built by the generator) and the request the script sends at run
// time (built by tokenmanGrantParams in the sandbox) are written twice, in TypeScript and in the
// script's JavaScript; this keeps them sending the same parameters in the same order.
import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { SIGNED_AT_SEND_TIME } from '../../../src/plan/token-plan.js';
import { generateCollection } from '../../../src/targets/postman/generate-collection.js';
import { loadValidSpec, seedSpecFiles } from '../../support/specs.js';
import { tokenScriptHelpers } from './load-token-script.js';

const goldenDir = new URL('../../fixtures/golden/', import.meta.url);
const credentialsDir = new URL('../../fixtures/valid/credentials/', import.meta.url);
const discoveryDir = new URL('../../fixtures/valid/discovery/', import.meta.url);
const files = [
  ...seedSpecFiles,
  ...readdirSync(goldenDir).map((dir) => new URL(`${dir}/spec.yaml`, goldenDir).pathname),
  ...readdirSync(credentialsDir).map((file) => new URL(file, credentialsDir).pathname),
  ...readdirSync(discoveryDir).map((file) => new URL(file, discoveryDir).pathname),
];
const helpers = tokenScriptHelpers();

type Pair = { key: string; value: string };
type Request = { url: string; body?: { urlencoded?: Pair[]; formdata?: Pair[]; raw?: string } };

function sentParams(request: Request): Array<[string, string]> {
  const body = request.body;
  if (body?.urlencoded) return body.urlencoded.map((p) => [p.key, p.value]);
  if (body?.formdata) return body.formdata.map((p) => [p.key, p.value]);
  if (body?.raw) return Object.entries(JSON.parse(body.raw) as Record<string, string>);
  const query = request.url.split('?')[1] ?? '';
  return query.split('&').map((pair) => pair.split('=') as [string, string]);
}

describe.each(files)('%s', (file) => {
  test("each variant's Get token request sends what the script sends", async () => {
    const spec = await loadValidSpec(file);
    const collection = generateCollection(spec) as { item: Array<{ request: Request }> };
    spec.variants.forEach((variant, index) => {
      const request = collection.item[index]?.request;
      if (!request) throw new Error(`no Get token request for ${variant.key}`);
      const identity = (template: string) => template;
      // The script puts the assertion it signs where the saved request shows the placeholder.
      const assertion = variant.token.assertion;
      const scriptParams = helpers.tokenmanGrantParams(
        variant.token,
        variant.token.grant,
        identity,
        undefined,
        assertion?.source === 'variable' ? assertion.value : SIGNED_AT_SEND_TIME,
      );
      // Postman leaves an empty {{Optional}} as an empty value; the script sends the same.
      expect(sentParams(request)).toEqual(scriptParams);
    });
  });
});
