// tokenman verify --local on specs that sign assertions: the embedded server gets a fresh public key
// for each run, whose private half only the run's environment holds, and checks every assertion
// (private_key_jwt with a kid for Okta, RS256 and client_secret_jwt for Keycloak, Salesforce's
// JWT-bearer grant, API Connect's api_key), in Newman and in `bru run` (--client bruno). Neither the
// private key nor any assertion reaches the output or a report.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { runCli } from '../support/run-cli.js';

const dir = 'test/fixtures/valid/credentials';
// The fixtures whose token host is a variable verify can point at the embedded server.
const specs = [
  'okta-private-key-jwt.yaml',
  'keycloak-signed-jwt.yaml',
  'salesforce-jwt-bearer.yaml',
  'api-connect-api-key.yaml',
].map((name) => `${dir}/${name}`);
const work = mkdtempSync(join(tmpdir(), 'tokenman-assertions-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

test.each(['postman', 'bruno'])(
  '%s: each signing spec passes verify --local, and no key or assertion is printed or reported',
  async (client) => {
    const dist = join(work, client, 'dist');
    const reports = join(work, client, 'reports');
    expect((await runCli(['build', ...specs, '--out', dist, '-q'])).code).toBe(0);
    const result = await runCli([
      'verify',
      '--local',
      '--client',
      client,
      '--dist',
      dist,
      ...specs,
      '--reporter',
      'junit,json',
      '--reporters-dir',
      reports,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const pass =
      client === 'bruno' ? /^PASS {2}.* in Bruno.*1 token call\(s\)/gm : /^PASS {2}.*1 token call\(s\)/gm;
    expect(result.stdout.match(pass)).toHaveLength(5);
    expect(result.stdout).toContain('5 passed, 0 failed');

    const texts = [
      result.stdout,
      ...readdirSync(reports).map((name) => readFileSync(join(reports, name), 'utf8')),
    ];
    expect(texts).toHaveLength(11);
    const jsonReports = readdirSync(reports).filter((name) => name.endsWith('.json'));
    // The assertions were sent (the json reports hold the request bodies), and are redacted there.
    const bodies = jsonReports.map((name) => readFileSync(join(reports, name), 'utf8')).join('\n');
    expect(bodies).toContain('client_assertion');
    // A PEM private key's body, raw or JSON-escaped (the reports hold the signer's code, which names
    // the PEM labels it reads, so the label alone proves nothing).
    const pemBody = /PRIVATE KEY-----(?:\\[rn]|\s)*MI[A-Za-z0-9+/]{8}/;
    for (const text of texts) {
      expect(text).not.toMatch(pemBody);
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/);
    }
    const generated = readdirSync(dist, { recursive: true, withFileTypes: true }).filter((entry) =>
      entry.isFile(),
    );
    expect(generated.length).toBeGreaterThan(0);
    for (const entry of generated)
      expect(readFileSync(join(entry.parentPath, entry.name), 'utf8')).not.toMatch(pemBody);
  },
);
