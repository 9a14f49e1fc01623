import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../support/run-cli.js';

const reports = mkdtempSync(join(tmpdir(), 'tokenman-reports-'));
afterAll(() => rmSync(reports, { recursive: true, force: true }));

describe('tokenman verify --local', () => {
  test('every seed vendor variant passes against the embedded token server, each with one token call', async () => {
    const result = await runCli(['verify', '--local']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const labels = [
      'biotz',
      'google-service-account',
      'ibm-api-connect (password)',
      'ibm-api-connect (api-key)',
      'keycloak (client-secret-jwt)',
      'keycloak (private-key-jwt)',
      'microsoft-entra-id (client-secret)',
      'microsoft-entra-id (certificate)',
      'okta',
      'salesforce (production)',
      'salesforce (sandbox)',
      'sap-ai-core (client-secret)',
      'sap-ai-core (x509)',
      'sap-cloud-management (password)',
      'sap-cloud-management (client-credentials)',
      'sap-cloud-management (x509)',
      'uipath-orchestrator (cloud)',
      'uipath-orchestrator (on-premises)',
    ];
    for (const label of labels) {
      expect(result.stdout).toMatch(
        new RegExp(`^PASS  ${label.replace(/[()]/g, '\\$&')}  .*, 1 token call\\(s\\), `, 'm'),
      );
    }
    expect(result.stdout).toContain(`${labels.length} passed, 0 failed`);
  });

  test('a wrong secret fails with the vendor error, exit 1, and the secret is not in the output', async () => {
    const marker = 'wrong-secret-7d41c09b';
    const result = await runCli([
      'verify',
      '--local',
      'specs/sap-ai-core.yaml',
      '--variant',
      'client-secret',
      '--env-var',
      `ClientSecret=${marker}`,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^FAIL {2}sap-ai-core \(client-secret\) {2}.*unauthorized: Bad credentials/m,
    );
    expect(result.stdout).toContain('0 passed, 1 failed');
    expect(`${result.stdout}${result.stderr}`).not.toContain(marker);
  });

  test('junit and json reports: valid XML with one testcase per assertion, and no secret or token', async () => {
    const marker = 'wrong-password-a9e3f1';
    const ok = await runCli([
      'verify',
      '--local',
      'specs/biotz.yaml',
      '-r',
      'junit,json',
      '--reporters-dir',
      reports,
      '--format',
      'json',
    ]);
    expect(ok.code).toBe(0);
    const outcome = JSON.parse(ok.stdout).outcomes[0];
    const xml = readFileSync(join(reports, 'biotz.junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({
      ignoreAttributes: false,
      isArray: (name) => name === 'testsuite' || name === 'testcase',
    }).parse(xml);
    const testcases = parsed.testsuites.testsuite.flatMap(
      (suite: { testcase?: unknown[] }) => suite.testcase ?? [],
    );
    expect(testcases.length).toBe(outcome.assertions.total);

    const json = readFileSync(join(reports, 'biotz.json'), 'utf8');
    expect(JSON.parse(json).run.stats.assertions.total).toBe(outcome.assertions.total);
    // The id_token, access_token and refresh_token of the Get token response, and the password sent.
    expect(json).not.toMatch(/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\./);
    expect(json).not.toContain('tm-secret-');
    expect(json).toContain('[redacted by tokenman]');

    const bad = await runCli([
      'verify',
      '--local',
      'specs/biotz.yaml',
      '-r',
      'junit,json',
      '--reporters-dir',
      reports,
      '--env-var',
      `Password=${marker}`,
    ]);
    expect(bad.code).toBe(1);
    for (const file of ['biotz.junit.xml', 'biotz.json']) {
      const text = readFileSync(join(reports, file), 'utf8');
      expect(text, file).toContain('Invalid user credentials');
      expect(text, file).not.toContain(marker);
    }
  });
});
