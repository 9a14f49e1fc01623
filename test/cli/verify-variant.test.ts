// tokenman verify --variant: only the chosen variants run (one real Newman run here), and a name
// no spec has is one sentence naming the ones there are.
import { describe, expect, test } from 'vitest';
import { runCli } from '../support/run-cli.js';

describe('tokenman verify --variant', () => {
  test('runs only the chosen variants', async () => {
    const result = await runCli([
      'verify',
      '--local',
      'specs/uipath-orchestrator.yaml',
      '--variant',
      'cloud',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^PASS {2}uipath-orchestrator \(cloud\)/m);
    expect(result.stdout).not.toContain('on-premises');
    expect(result.stdout).toContain('1 passed, 0 failed');
  });

  test('an unknown variant is an error naming the ones there are', async () => {
    const result = await runCli(['verify', '--local', '--variant', 'clowd']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'no variant "clowd" in these specs; they have: password, api-key, client-secret-jwt, private-key-jwt, client-secret, certificate, production, sandbox, x509, client-credentials, cloud, on-premises',
    );
  });
});
