// The Bruno target's files: golden bytes for the golden cases, what a user checks in them (secrets
// without values, every request inheriting the token), and that Bruno's own writer, from the pinned
// @usebruno/cli, would save each file unchanged (so the app leaves no diff in committed files).
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { planSpec } from '../../../src/plan/plan-spec.js';
import { generateBrunoArtifacts } from '../../../src/targets/bruno/generate-bruno.js';
import { atLeastOne } from '../../support/required.js';
import { loadValidSpec, seedSpecFiles } from '../../support/specs.js';

const goldenDir = fileURLToPath(new URL('../../fixtures/golden/', import.meta.url));
const cases = atLeastOne(readdirSync(goldenDir).sort(), 'golden fixtures in test/fixtures/golden');

describe.each(cases)('golden %s', (name) => {
  test('generates the golden Bruno collection', async () => {
    const spec = await loadValidSpec(`${goldenDir}${name}/spec.yaml`);
    for (const artifact of generateBrunoArtifacts(planSpec({ ...spec, id: name }))) {
      await expect(artifact.content).toMatchFileSnapshot(`${goldenDir}${name}/${artifact.fileName}`);
    }
  });
});

const specs = await Promise.all(seedSpecFiles.map((file) => loadValidSpec(file)));

/** A request's file: not the collection's, not a folder's. */
function isRequestFile(file: string): boolean {
  return file !== 'opencollection.yml' && !file.endsWith('/folder.yml');
}

describe.each(specs.map((spec) => [spec.id, spec] as const))('seed %s', (id, spec) => {
  const artifacts = generateBrunoArtifacts(planSpec(spec));
  const byName = new Map(artifacts.map((a) => [a.fileName.slice(`bruno/${id}/`.length), a.content]));

  test('one folder per spec: the collection, one file per request, one environment per variant', () => {
    expect(artifacts.every((a) => a.fileName.startsWith(`bruno/${id}/`))).toBe(true);
    expect(byName.has('opencollection.yml')).toBe(true);
    const environments = [...byName.keys()].filter((f) => f.startsWith('environments/'));
    const expected = spec.variants.map((v) => `environments/${v.key || id}.yml`);
    expect(environments).toEqual(expected);
    const requests = [...byName.keys()].filter((f) => !f.startsWith('environments/') && isRequestFile(f));
    expect(requests).toHaveLength(spec.variants.length + planSpec(spec).requests.length);
    // Several variants' "Get token" requests share a folder, whose folder.yml checks their answers;
    // one stands in a folder of its own when the collection has folders, which Bruno runs first.
    const tokenFolder = [...byName.keys()].filter((f) => f.startsWith('get-token/'));
    const hasFolders = planSpec(spec).requests.some((request) => request.folder.length > 0);
    expect(tokenFolder).toEqual(
      spec.variants.length > 1
        ? ['get-token/folder.yml', ...spec.variants.map((v) => `get-token/${v.key}.yml`)]
        : hasFolders
          ? ['get-token/folder.yml', 'get-token/get-token.yml']
          : [],
    );
  });

  test('bytes are stable, LF only, and carry no secret value', () => {
    expect(generateBrunoArtifacts(planSpec(spec))).toEqual(artifacts);
    for (const { content } of artifacts) {
      expect(content).not.toContain('\r');
      expect(content.endsWith('\n')).toBe(true);
    }
    const secrets = new Set(spec.variables.filter((v) => v.secret).map((v) => v.name));
    for (const [file, content] of byName) {
      if (!file.startsWith('environments/')) continue;
      const variables = (parse(content) as { variables: Array<Record<string, unknown>> }).variables;
      for (const variable of variables) {
        if (secrets.has(String(variable.name)))
          expect(variable).toEqual({ secret: true, name: variable.name });
        else expect(Object.keys(variable)).toEqual(['name', 'value']);
      }
    }
  });

  test('the collection sends Bearer {{Token}}; example requests inherit it, "Get token" does not', () => {
    const collection = parse(byName.get('opencollection.yml') ?? '') as {
      request: { auth: unknown; scripts: Array<{ type: string }> };
    };
    expect(collection.request.auth).toEqual({ type: 'bearer', token: '{{Token}}' });
    // The checks live with the requests they check, so the collection's script is the flow alone.
    expect(collection.request.scripts.map((s) => s.type)).toEqual(['before-request']);
    // An operation the API document says needs no token has no auth, which Bruno reads as none.
    const noToken = new Set(
      planSpec(spec)
        .requests.filter((r) => r.auth === 'none')
        .map((r) => r.name),
    );
    for (const [file, content] of byName) {
      if (!isRequestFile(file) || file.startsWith('environments/')) continue;
      const request = parse(content) as { info: { name: string }; http: { auth?: unknown } };
      if (request.info.name.startsWith('Get token') || noToken.has(request.info.name))
        expect(request.http.auth).toBeUndefined();
      else expect(request.http.auth).toBe('inherit');
    }
  });
});

// A spec of each signer family, whose before-request script carries minified bundles.
const signing = await Promise.all(
  ['entra-certificate', 'keycloak-signed-jwt', 'okta-private-key-jwt'].map((name) =>
    loadValidSpec(fileURLToPath(new URL(`../../fixtures/valid/credentials/${name}.yaml`, import.meta.url))),
  ),
);

describe("Bruno's own writer", () => {
  // @usebruno/filestore is what the Bruno app and CLI read and save collections with; it is loaded
  // from the pinned @usebruno/cli, whose dependency it is.
  const fromCli = createRequire(createRequire(import.meta.url).resolve('@usebruno/cli/package.json'));
  const filestore = fromCli('@usebruno/filestore') as {
    parseCollection(text: string, o: object): { collectionRoot: unknown; brunoConfig: unknown };
    stringifyCollection(root: unknown, config: unknown, o: object): string;
    parseRequest(text: string, o: object): unknown;
    stringifyRequest(request: unknown, o: object): string;
    parseFolder(text: string, o: object): unknown;
    stringifyFolder(folder: unknown, o: object): string;
    parseEnvironment(text: string, o: object): unknown;
    stringifyEnvironment(environment: unknown, o: object): string;
  };
  const yml = { format: 'yml' };

  test.each([...specs, ...signing].map((spec) => spec.id))('saves every file of %s unchanged', (id) => {
    const spec = [...specs, ...signing].find((s) => s.id === id);
    if (!spec) throw new Error(id);
    for (const { fileName, content } of generateBrunoArtifacts(planSpec(spec))) {
      let saved: string;
      if (fileName.endsWith('/opencollection.yml')) {
        const { collectionRoot, brunoConfig } = filestore.parseCollection(content, yml);
        saved = filestore.stringifyCollection(collectionRoot, brunoConfig, yml);
      } else if (fileName.endsWith('/folder.yml')) {
        saved = filestore.stringifyFolder(filestore.parseFolder(content, yml), yml);
      } else if (fileName.includes('/environments/')) {
        saved = filestore.stringifyEnvironment(filestore.parseEnvironment(content, yml), yml);
      } else {
        saved = filestore.stringifyRequest(filestore.parseRequest(content, yml), yml);
      }
      expect(saved, fileName).toBe(content);
    }
  });
});
