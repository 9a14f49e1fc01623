// tokenman verify --client bruno --reporter junit,json: bru run's own reports (one real `bru run`
// here), written where --reporters-dir says and redacted like Newman's.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../support/run-cli.js';

const reports = mkdtempSync(join(tmpdir(), 'tokenman-bruno-reports-'));
afterAll(() => rmSync(reports, { recursive: true, force: true }));

describe('tokenman verify --client', () => {
  test('bruno: junit and json reports of bru run, redacted: no secret, no token, no Basic credential', async () => {
    const result = await runCli([
      'verify',
      '--local',
      '--client',
      'bruno',
      'specs/sap-cloud-management.yaml',
      '--variant',
      'password',
      '--reporter',
      'junit,json',
      '--reporters-dir',
      reports,
    ]);
    expect(result.code).toBe(0);
    expect(readdirSync(reports).sort()).toEqual([
      'sap-cloud-management.password.bruno.json',
      'sap-cloud-management.password.bruno.junit.xml',
    ]);
    const junit = readFileSync(join(reports, 'sap-cloud-management.password.bruno.junit.xml'), 'utf8');
    const json = readFileSync(join(reports, 'sap-cloud-management.password.bruno.json'), 'utf8');
    expect(XMLValidator.validate(junit)).toBe(true);
    expect(JSON.parse(json)).toBeInstanceOf(Array);
    // The json report holds what was sent and received: the password grant's form and the token.
    expect(json).toContain('get-token/password');
    for (const text of [junit, json]) {
      expect(text).not.toMatch(/tm-secret-[0-9a-f]/);
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\./);
      expect(text).not.toMatch(/Basic [A-Za-z0-9+/=]{8,}/);
    }
  });
});
