// Secrets shorter than 4 characters are redacted where they stand as a whole value (a JSON string,
// a form or query parameter, a header), never inside other text; verify names every secret variable
// shorter than 8 characters in a warning, never its value.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { runCli } from '../support/run-cli.js';

const SHORT = 'Q9z';
let reports = '';
afterEach(() => rmSync(reports, { recursive: true, force: true }));

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

test('a 3-character secret (a form body, a JSON body): no whole value of it in a report, and a warning', async () => {
  reports = mkdtempSync(join(tmpdir(), 'tokenman-short-'));
  const result = await runCli([
    'verify',
    '--local',
    'specs/sap-ai-core.yaml',
    'specs/ibm-api-connect.yaml',
    '--variant',
    'client-secret,password',
    '--env-var',
    `ClientSecret=${SHORT}`,
    '--env-var',
    `Password=${SHORT}`,
    '--reporter',
    'junit,json',
    '--reporters-dir',
    reports,
  ]);
  // The embedded server expects its own test values: the runs fail, which is beside the point.
  expect(result.code).toBe(1);
  for (const variable of ['ClientSecret of sap-ai-core', 'Password of ibm-api-connect']) {
    expect(result.stderr).toContain(
      `tokenman: warning: ${variable} is only 3 characters long: it is redacted only where it stands as a whole value`,
    );
  }
  expect(result.stderr).not.toContain(SHORT);
  const files = readdirSync(reports).filter((name) => name.endsWith('.json'));
  expect(files.sort()).toEqual(['ibm-api-connect.password.json', 'sap-ai-core.client-secret.json']);
  for (const name of files) {
    const text = readFileSync(join(reports, name), 'utf8');
    const json: unknown = JSON.parse(text);
    // A whole value: a JSON string of the report, or one inside a string (a raw JSON body, a
    // form body, a response), quoted or as a parameter.
    expect(
      strings(json).filter((s) => s === SHORT),
      name,
    ).toEqual([]);
    for (const s of strings(json)) {
      expect(s, name).not.toMatch(new RegExp(`(["=:]\\s*)${SHORT}(?=$|["&\\s,}])`));
    }
  }
});
