import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, test } from 'vitest';
import { specArtifacts } from '../../src/pipeline/spec-artifacts.js';
import { postmanSchemaErrors } from '../support/postman-schema.js';
import { DIST_DIR, loadValidSpec, seedSpecFiles } from '../support/specs.js';

describe.each(seedSpecFiles.map((file) => [basename(file), file]))('%s', (_, file) => {
  test('its collection is valid against the official Postman Collection v2.1.0 schema', async () => {
    const spec = await loadValidSpec(file);
    const collection = specArtifacts(spec)[0];
    expect(collection?.fileName).toMatch(/\.postman_collection\.json$/);
    expect(postmanSchemaErrors(JSON.parse(collection?.content ?? '{}'))).toEqual([]);
  });

  test('building twice gives the same bytes, and they are what dist/ holds', async () => {
    const first = specArtifacts(await loadValidSpec(file));
    const second = specArtifacts(await loadValidSpec(file));
    expect(second).toEqual(first);
    for (const artifact of first) {
      const committed = readFileSync(new URL(artifact.fileName, DIST_DIR), 'utf8');
      expect(committed, `${artifact.fileName} is stale: run tokenman build`).toBe(artifact.content);
    }
  });

  test('no secret variable has a value and every request is authorised with {{Token}}', async () => {
    const spec = await loadValidSpec(file);
    const [collection, ...environments] = specArtifacts(spec)
      .filter((a) => a.fileName.endsWith('.json'))
      .map((a) => JSON.parse(a.content));
    expect(collection.auth).toEqual({
      type: 'bearer',
      bearer: [{ key: 'token', value: '{{Token}}', type: 'string' }],
    });
    for (const environment of environments) {
      const secrets = environment.values.filter((v: { type: string }) => v.type === 'secret');
      expect(secrets.length).toBeGreaterThan(0);
      for (const secret of secrets) expect(secret.value, secret.key).toBe('');
      const keys = environment.values.map((v: { key: string }) => v.key);
      expect(keys).toEqual(expect.arrayContaining(['Token', 'TokenExpiresAt']));
    }
  });
});

test('the schema check itself rejects a broken collection', () => {
  expect(postmanSchemaErrors({ info: { name: 'x' }, item: [{ name: 'no request' }] })).not.toEqual([]);
});
