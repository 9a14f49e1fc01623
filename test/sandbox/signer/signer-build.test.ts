// The committed signer bundles are exactly what scripts/build-signer.mjs makes from the pinned
// dependencies, carry the MIT notices of what they contain, and define one name.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContext, runInContext } from 'node:vm';
import { afterAll, describe, expect, test } from 'vitest';
import { bundleFile, bundleText, SIGNER_FAMILIES } from './signer-fixtures.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};

describe('signer bundles', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'tokenman-signer-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  test('a rebuild is byte-identical to the committed bundles', () => {
    execFileSync(process.execPath, ['scripts/build-signer.mjs', '--out-dir', outDir], { cwd: root });
    for (const family of SIGNER_FAMILIES) {
      const rebuilt = readFileSync(join(outDir, `${family}.bundle.js`));
      const committed = readFileSync(bundleFile(family));
      expect(rebuilt.equals(committed), `${family}.bundle.js is stale: run npm run build:signer`).toBe(true);
    }
  });

  test.each(SIGNER_FAMILIES)(
    '%s names each bundled package at its pinned version with its MIT notice',
    (family) => {
      const text = bundleText(family);
      const listed = /Bundled packages, each under the MIT licence:\n \* ([^\n]+)\.\n/.exec(text)?.[1];
      expect(listed).toBeDefined();
      const packages = (listed ?? '').split(', ').map((entry) => entry.split(' '));
      expect(packages.length).toBeGreaterThan(0);
      for (const [name = '', version] of packages) {
        expect(version, `${name} is not pinned to what the bundle holds`).toBe(
          manifest.devDependencies[name],
        );
        const licence = readFileSync(join(root, 'node_modules', name, 'LICENSE'), 'utf8');
        const copyright = licence.split('\n').find((line) => line.startsWith('Copyright'));
        expect(text).toContain(` * ${copyright}`);
      }
      expect(text).toContain(
        ' * Permission is hereby granted, free of charge, to any person obtaining a copy',
      );
    },
  );

  test.each(SIGNER_FAMILIES)(
    '%s defines only tokenmanSignJwt and uses nothing the sandbox lacks',
    (family) => {
      const text = bundleText(family);
      // Newman's sandbox has none of these (see src/sandbox/signer/README.md); @scure/base's
      // TextDecoder use is probed inside try/catch and optional, so it may stay.
      const unavailable = text.match(/\bglobalThis\b|\bTextEncoder\b|\.subtle\b|\brequire\(|\bBuffer\b/g);
      expect(unavailable).toBeNull();
      const context = createContext({});
      const before = new Set(Object.getOwnPropertyNames(context));
      runInContext(text, context);
      const added = Object.getOwnPropertyNames(context).filter((name) => !before.has(name));
      expect(added).toEqual(['tokenmanSignJwt']);
      expect(typeof context.tokenmanSignJwt).toBe('function');
    },
  );

  test.each(SIGNER_FAMILIES)('%s keeps strict mode inside itself, not in the script it heads', (family) => {
    // A collection script is the bundle followed by its own code, in one text: a script-level
    // "use strict" would turn that code's sloppy-mode habits into errors.
    const context = createContext({});
    runInContext(`${bundleText(family)}\nundeclaredByTheCaller = 1;`, context);
    expect(context.undeclaredByTheCaller).toBe(1);
    expect(bundleText(family)).toContain('\nvar tokenmanSignJwt;\n(()=>{"use strict";');
  });
});
