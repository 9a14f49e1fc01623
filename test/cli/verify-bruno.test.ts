// tokenman verify --client bruno|all: the committed Bruno collections run with the real `bru run`
// against the embedded token server, one line per run as for Newman, the same exit code.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../support/run-cli.js';

const reports = mkdtempSync(join(tmpdir(), 'tokenman-bruno-reports-'));
afterAll(() => rmSync(reports, { recursive: true, force: true }));

describe('tokenman verify --client', () => {
  test('all: each variant passes in Newman and in Bruno, each with one token call', async () => {
    const result = await runCli(['verify', '--local', '--client', 'all', 'specs/sap-cloud-management.yaml']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const variant of ['password', 'client-credentials', 'x509']) {
      expect(result.stdout).toMatch(
        new RegExp(`^PASS  sap-cloud-management \\(${variant}\\)  .*1 token call`, 'm'),
      );
      expect(result.stdout).toMatch(
        new RegExp(`^PASS  sap-cloud-management \\(${variant}\\) in Bruno  .*1 token call`, 'm'),
      );
    }
    expect(result.stdout).toContain('6 passed, 0 failed');
  });

  test('bruno: a wrong secret fails with the vendor error, exit 1, and the secret is not in the output', async () => {
    const marker = 'wrong-secret-5b1e3a7c';
    const result = await runCli([
      'verify',
      '--local',
      '--client',
      'bruno',
      'specs/sap-ai-core.yaml',
      '--variant',
      'client-secret',
      '--env-var',
      `ClientSecret=${marker}`,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^FAIL {2}sap-ai-core \(client-secret\) in Bruno {2}.*unauthorized: Bad credentials/m,
    );
    expect(result.stdout).toContain('0 passed, 1 failed');
    expect(`${result.stdout}${result.stderr}`).not.toContain(marker);
  });

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

  test('an unknown client is one sentence naming the ones there are', async () => {
    const result = await runCli(['verify', '--local', '--client', 'insomnia']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('tokenman: --client is "insomnia"; use postman, bruno, all');
  });
});
