// The corpus of mistakes with a vendor's credentials file (`--credentials`), as test/cli/mistakes.test.ts
// is for the other flags: each is one sentence naming the file, exit code 1, no stack trace, and
// nothing of the file's content, which is made of secrets.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROOT, runCli } from '../support/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'tokenman-credentials-mistakes-'));
const SECRET = 'hunter2-do-not-print-7c1e';
const GIVE =
  'give the JSON credentials file your vendor gave you (an SAP service key, a Google service-account key)';
const AI_CORE = 'specs/sap-ai-core-key.yaml';
const GOOGLE = 'specs/google-key.yaml';
const CIS = 'specs/sap-cloud-management-key.yaml';

const json = (name: string, value: unknown) =>
  writeFileSync(join(work, name), `${JSON.stringify(value, null, 2)}\n`);

beforeAll(async () => {
  mkdirSync(join(work, 'specs'));
  for (const name of ['sap-ai-core-key.yaml', 'google-key.yaml', 'sap-cloud-management-key.yaml'])
    cpSync(join(ROOT, 'test/fixtures/credentials-file', name), join(work, 'specs', name));
  cpSync(join(ROOT, 'specs/biotz.yaml'), join(work, 'specs/biotz.yaml'));
  const built = await runCli(['build', '-q'], { cwd: work });
  expect(built.stderr).toBe('');
  // A .env of credentials passed by mistake: one line a JSON parser's message would quote.
  writeFileSync(join(work, 'secrets.env'), `CLIENT_SECRET=${SECRET}\n`);
  writeFileSync(
    join(work, 'missing-comma.json'),
    `{\n  "clientid": "sb-x!b1",\n  "clientsecret": "${SECRET}"\n  "url": "https://acme.authentication.eu10.hana.ondemand.com"\n}\n`,
  );
  // What `cf service-key` (v8) prints, saved with its first line, and cut short.
  writeFileSync(
    join(work, 'cf-cut-short.json'),
    `Getting key k1 for service instance aicore as ada@example.com...\n\n{\n  "credentials": {\n    "clientsecret": "${SECRET}",\n`,
  );
  writeFileSync(join(work, 'list.json'), `["${SECRET}"]\n`);
  // a file nested 5,000 deep overflowed the stack of the walk that finds its secrets.
  writeFileSync(
    join(work, 'nested.json'),
    `{"clientsecret": "${SECRET}",\n "n": ${'['.repeat(5000)}${']'.repeat(5000)}}\n`,
  );
  // field names with an ANSI escape and a line break were printed as they are.
  json('escapes.json', { '\u001b[31mred\u001b[0m': SECRET, 'new\nline': 1, '\u202egnp.exe': 2 });
  // A Google key given for the SAP AI Core spec.
  json('google-key.json', {
    type: 'service_account',
    project_id: 'p-1',
    private_key_id: SECRET,
    private_key: `-----BEGIN PRIVATE KEY-----\n${SECRET}\n-----END PRIVATE KEY-----\n`,
    client_email: 'bot@p-1.iam.gserviceaccount.com',
    token_uri: 'https://oauth2.googleapis.com/token',
  });
  // A Cloud Management key whose uaa block is where the AI Core spec expects a URL.
  json('url-object.json', {
    url: { clientsecret: SECRET },
    clientid: 'sb-x!b1',
    clientsecret: SECRET,
    serviceurls: { AI_API_URL: 'https://api.ai.example' },
  });
  json('aicore-key.json', {
    clientid: 'sb-x!b1',
    clientsecret: SECRET,
    url: 'https://acme.authentication.eu10.hana.ondemand.com',
    serviceurls: { AI_API_URL: 'https://api.ai.example' },
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Mistake {
  what: string;
  args: string[];
  /** The whole of stderr. */
  stderr: string;
}

const MISTAKES: Mistake[] = [
  {
    what: 'the file does not exist',
    args: ['verify', AI_CORE, '--credentials', 'nope.json'],
    stderr: `tokenman: --credentials nope.json does not exist; ${GIVE}\n`,
  },
  {
    what: 'the file is a folder',
    args: ['verify', AI_CORE, '--credentials', 'specs'],
    stderr: `tokenman: --credentials specs is a folder; ${GIVE}\n`,
  },
  {
    what: 'the file is a one-line .env of secrets, not JSON',
    args: ['verify', AI_CORE, '--credentials', 'secrets.env'],
    stderr: `tokenman: --credentials secrets.env is not JSON (line 1, column 1); ${GIVE}\n`,
  },
  {
    what: 'the file is JSON with a missing comma',
    args: ['verify', AI_CORE, '--credentials', 'missing-comma.json'],
    stderr: `tokenman: --credentials missing-comma.json is not JSON (line 4, column 3); ${GIVE}\n`,
  },
  {
    what: "cf's output cut short: the line is the file's, after the 'Getting key' line",
    args: ['environment', AI_CORE, '--credentials', 'cf-cut-short.json'],
    stderr: `tokenman: --credentials cf-cut-short.json is not JSON (line 6, column 1); ${GIVE}\n`,
  },
  {
    what: 'the file is a list',
    args: ['verify', AI_CORE, '--credentials', 'list.json'],
    stderr: `tokenman: --credentials list.json is a list, not a JSON object of fields; ${GIVE}\n`,
  },
  {
    what: 'the file nests 5,000 deep',
    args: ['verify', AI_CORE, '--credentials', 'nested.json'],
    stderr: `tokenman: --credentials nested.json nests objects or lists more than 32 deep (line 2, column 38), which no credentials file does; ${GIVE}\n`,
  },
  {
    what: 'the file nests 5,000 deep (environment)',
    args: ['environment', AI_CORE, '--credentials', 'nested.json'],
    stderr: `tokenman: --credentials nested.json nests objects or lists more than 32 deep (line 2, column 38), which no credentials file does; ${GIVE}\n`,
  },
  {
    what: 'field names with escapes and line breaks are shown escaped',
    args: ['environment', AI_CORE, '--credentials', 'escapes.json'],
    stderr:
      'escapes.json: error: this file has no serviceurls.AI_API_URL for AiApiUrl of specs/sap-ai-core-key.yaml (sap-ai-core-key needs it); its top-level fields are "\\u001b[31mred\\u001b[0m", "new\\u000aline", "\\u202egnp.exe"\n' +
      '  hint: give the credentials file of SAP AI Core orchestration, or set AiApiUrl with --env-var AiApiUrl=…\n',
  },
  {
    what: '--credentials with --local',
    args: ['verify', '--local', AI_CORE, '--credentials', 'aicore-key.json'],
    stderr:
      'tokenman: --credentials goes with --remote, not --local: the embedded token server makes test credentials of its own, and a real key is sent only to its vendor\n',
  },
  {
    what: 'a variable the variant needs is at none of its paths (the wrong vendor’s file)',
    args: ['verify', AI_CORE, '--credentials', 'google-key.json', '--env-var', 'DeploymentId=d1'],
    stderr:
      'google-key.json: error: this file has no serviceurls.AI_API_URL for AiApiUrl of specs/sap-ai-core-key.yaml (sap-ai-core-key needs it); its top-level fields are type, project_id, private_key_id, private_key, client_email, token_uri\n' +
      '  hint: give the credentials file of SAP AI Core orchestration, or set AiApiUrl with --env-var AiApiUrl=…\n',
  },
  {
    what: 'none of a variable’s several paths is there (environment, a variant)',
    args: ['environment', CIS, '--variant', 'client-credentials', '--credentials', 'aicore-key.json'],
    stderr:
      'aicore-key.json: error: this file has no uaa.url for UaaUrl of specs/sap-cloud-management-key.yaml (sap-cloud-management-key (client-credentials) needs it); its top-level fields are clientid, clientsecret, url, serviceurls\n' +
      '  hint: give the credentials file of SAP Cloud Management service, or set UaaUrl with --env-var UaaUrl=…\n',
  },
  {
    what: 'a path holds an object where text is needed',
    args: ['verify', AI_CORE, '--credentials', 'url-object.json', '--env-var', 'DeploymentId=d1'],
    stderr:
      'url-object.json: error: url in this file is an object (fields clientsecret), where AuthUrl of specs/sap-ai-core-key.yaml needs text\n' +
      '  hint: point variables.AuthUrl.credentials of specs/sap-ai-core-key.yaml at a field that holds text, as in url.clientsecret\n',
  },
  {
    what: 'no chosen spec says where anything is in a credentials file',
    args: ['verify', 'specs/biotz.yaml', '--credentials', 'aicore-key.json'],
    stderr:
      'aicore-key.json: error: specs/biotz.yaml says nowhere where its variables are in a credentials file (no variable has credentials:), so this file would fill nothing\n' +
      '  hint: add credentials: with the field of the file (as in clientid or uaa.clientid) to the variables of the spec, or leave --credentials out\n',
  },
  {
    what: 'environment without --credentials',
    args: ['environment', AI_CORE],
    stderr:
      "tokenman: tokenman environment needs --credentials <file>, your vendor's JSON credentials file; the environment without values is in --dist already\n",
  },
  {
    what: 'environment of a spec with variants, without --variant',
    args: ['environment', CIS, '--credentials', 'aicore-key.json'],
    stderr:
      'tokenman: specs/sap-cloud-management-key.yaml has variants; choose one with --variant password | client-credentials\n',
  },
  {
    what: 'environment --out into the build output folder',
    args: ['environment', AI_CORE, '--credentials', 'aicore-key.json', '--out', 'dist/mine.json'],
    stderr:
      'tokenman: --out dist/mine.json is inside dist, the folder tokenman build writes, which is committed and shared; give a path outside it, or leave --out out to write into .tokenman/\n',
  },
];

describe('a mistake with a credentials file is one sentence, exit code 1', () => {
  test.each(MISTAKES)('$what', async ({ args, stderr }) => {
    const result = await runCli(args, { cwd: work });
    expect(result.stderr).toBe(stderr);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET);
  });

  test('the Google spec, given an SAP key, names its first missing field', async () => {
    const result = await runCli(['verify', GOOGLE, '--credentials', 'aicore-key.json'], { cwd: work });
    expect(result.stderr).toMatch(
      /^aicore-key\.json: error: this file has no token_uri for TokenUri of specs\/google-key\.yaml/,
    );
    expect(result.code).toBe(1);
  });
});

test('none of them wrote anything: no .tokenman/, nothing in dist/', () => {
  expect(existsSync(join(work, '.tokenman'))).toBe(false);
  expect(existsSync(join(work, 'dist', 'mine.json'))).toBe(false);
});
