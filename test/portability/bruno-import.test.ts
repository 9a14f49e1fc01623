// The collections are meant to work beyond Postman: Bruno's own Postman importer converts them with
// no issues and keeps what makes them work, the token script and the inherited bearer auth.
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { postmanToBruno, postmanToBrunoEnvironment } from '@usebruno/converters';
import { describe, expect, test } from 'vitest';
import { DIST_DIR, seedSpecFiles } from '../support/specs.js';

const readDist = (name: string) => JSON.parse(readFileSync(new URL(name, DIST_DIR), 'utf8'));

describe.each(seedSpecFiles.map((file) => basename(file, '.yaml')))('%s', (id) => {
  test('converts through Bruno with no issues, keeping the scripts and the bearer auth', async () => {
    const collection = readDist(`${id}.postman_collection.json`);
    const { collection: bruno, issues } = await postmanToBruno(collection);
    expect(issues).toEqual([]);
    expect(bruno.name).toBe(collection.info.name);
    expect(bruno.root.request.auth).toMatchObject({ mode: 'bearer', bearer: { token: '{{Token}}' } });
    expect(bruno.root.request.script.req).toContain('function tokenmanBeforeRequest(');
    // The checks are the test scripts of tokenman's own requests, not the collection's.
    expect(bruno.root.request.script.res ?? '').toBe('');
    for (const item of bruno.items) {
      expect(item.request.script?.res).toMatch(/function tokenmanCheck(Token|Example)Answer\(/);
    }
    expect(bruno.items.map((item: { name: string }) => item.name)).toEqual(
      collection.item.map((item: { name: string }) => item.name),
    );
  });

  test('its environments convert with secrets still secret and empty', async () => {
    const names = readdirSync(DIST_DIR).filter(
      (name) => name.startsWith(`${id}.`) && name.endsWith('.postman_environment.json'),
    );
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const environment = await postmanToBrunoEnvironment(readDist(name));
      const secrets = environment.variables.filter((v: { secret: boolean }) => v.secret);
      expect(secrets.map((v: { name: string }) => v.name)).toContain('Token');
      for (const secret of secrets) expect(secret.value, secret.name).toBe('');
    }
  });
});
