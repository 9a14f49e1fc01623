// tokenman verify --client bruno|all: the committed Bruno collections run with the real `bru run`
// against the embedded token server, one line per run as for Newman, the same exit code.
import { describe, expect, test } from 'vitest';
import { runCli } from '../support/run-cli.js';

describe('tokenman verify --client', () => {
  test('all: each variant passes in Newman, the Postman CLI (v2.1 and v3) and Bruno, each with one token call', async () => {
    const result = await runCli(['verify', '--local', '--client', 'all', 'specs/sap-cloud-management.yaml']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const variant of ['password', 'client-credentials', 'x509']) {
      expect(result.stdout).toMatch(
        new RegExp(`^PASS  sap-cloud-management \\(${variant}\\)  .*1 token call`, 'm'),
      );
      for (const client of ['Postman CLI', 'Postman CLI \\(v3\\)', 'Bruno'])
        expect(result.stdout).toMatch(
          new RegExp(`^PASS  sap-cloud-management \\(${variant}\\) in ${client}  .*1 token call`, 'm'),
        );
    }
    expect(result.stdout).toContain('12 passed, 0 failed');
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

  test('an unknown client is one sentence naming the ones there are', async () => {
    const result = await runCli(['verify', '--local', '--client', 'insomnia']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'tokenman: --client is "insomnia"; use postman, postman-cli, bruno, all',
    );
  });
});
