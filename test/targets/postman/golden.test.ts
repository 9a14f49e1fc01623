// Golden folders: test/fixtures/golden/<case>/spec.yaml and the files tokenman generates from it.
// `npm run test:update` rewrites them; review their diff like code.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { specArtifacts } from '../../../src/pipeline/spec-artifacts.js';
import { postmanSchemaErrors } from '../../support/postman-schema.js';
import { atLeastOne } from '../../support/required.js';
import { loadValidSpec } from '../../support/specs.js';

const goldenDir = fileURLToPath(new URL('../../fixtures/golden/', import.meta.url));
const cases = atLeastOne(readdirSync(goldenDir).sort(), 'golden fixtures in test/fixtures/golden');

describe.each(cases)('%s', (name) => {
  test('generates the golden collection and environments, valid against the Postman schema', async () => {
    // The spec id comes from the file name; copy the case's spec.yaml under its case name.
    const spec = await loadValidSpec(`${goldenDir}${name}/spec.yaml`);
    const artifacts = specArtifacts({ ...spec, id: name });
    for (const artifact of artifacts) {
      await expect(artifact.content).toMatchFileSnapshot(`${goldenDir}${name}/${artifact.fileName}`);
    }
    expect(postmanSchemaErrors(JSON.parse(artifacts[0]?.content ?? '{}'))).toEqual([]);
  });
});
