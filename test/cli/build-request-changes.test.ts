import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { ROOT, runCli } from '../support/run-cli.js';

// A rebuild after the vendor changes its API document says, spec by spec, how the requests
// changed: matched by method and path, an added operation is one added request, not every
// request after it changed.

let work: string;
const documentFile = () => join(work, 'specs', 'openapi-documents', 'items.yaml');

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'tokenman-request-changes-'));
  mkdirSync(join(work, 'specs'));
  cpSync(join(ROOT, 'test/fixtures/warnings/openapi-documents'), join(work, 'specs', 'openapi-documents'), {
    recursive: true,
  });
  const spec = readFileSync(join(ROOT, 'test/fixtures/warnings/openapi-exclude-unmatched.yaml'), 'utf8');
  writeFileSync(
    join(work, 'specs', 'items.yaml'),
    spec.replace(/\napi:[\s\S]*$/, '\napi:\n  openapi: openapi-documents/items.yaml\n'),
  );
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

test('a rebuild names the requests the vendor added, removed and changed, and nothing else', async () => {
  const first = await runCli(['build'], { cwd: work });
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).not.toMatch(/requests? (added|removed|changed)/);

  const original = readFileSync(documentFile(), 'utf8');
  // A new operation first in the document, one removed, one given a new summary.
  const changed = original
    .replace(
      'paths:\n',
      'paths:\n  /health:\n    get:\n      operationId: health\n      summary: Health\n      tags: [items]\n      responses:\n        "200": {description: ok}\n',
    )
    .replace('summary: Get an item', 'summary: Get one item')
    .replace(/ {2}\/items:\n {4}get:[\s\S]*?\n {2}\/items\/\{itemId\}/, '  /items/{itemId}');
  writeFileSync(documentFile(), changed);
  const second = await runCli(['build'], { cwd: work });
  expect(second.code, second.stderr).toBe(0);
  expect(second.stdout).toContain('items: 1 request added, 1 removed, 1 changed\n');

  const third = await runCli(['build'], { cwd: work });
  expect(third.stdout).not.toMatch(/requests? (added|removed|changed)/);
});
