// Every token request the seeds show as a command becomes a spec through `tokenman init`, and the
// collection built from that spec sends what the command sends: each curl command runs against an
// echo server on 127.0.0.1, the collection's Get token runs there in real Newman with the same
// values, and the two requests are compared field by field.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type InitResult, initSpec } from '../../src/init/init-spec.js';
import { specArtifacts } from '../../src/pipeline/spec-artifacts.js';
import type { Spec } from '../../src/spec/types.js';
import type { EnvironmentJson } from '../../src/targets/postman/generate-environment.js';
import { withValues } from '../../src/values/environment-fill.js';
import { runNewman } from '../../src/verify/run-newman.js';
import { type EchoServer, type Received, startEchoServer } from '../support/echo-server.js';
import { atLeastOne, requireTool } from '../support/required.js';

const FIXTURES = new URL('../fixtures/init/', import.meta.url);
const SEEDS = new URL('../fixtures/seeds/', import.meta.url);

interface SeedCommand {
  fixture: string;
  seed: string;
  /** The seed shows this command as is (after its Markdown quoting); otherwise it is written from the seed's prose. */
  verbatim: boolean;
  expected: {
    grant: string;
    clientAuth: string;
    encoding: string;
    insecure?: boolean;
    scope?: string;
    /** Each variable: s for a secret, a default, or '' for one to fill. */
    variables: Record<string, string>;
  };
  /** Secrets the command writes out, which the spec must leave out and the test fills back in. */
  writtenSecrets?: Record<string, string>;
}

const SCM_PASSWORD = { UaaUrl: '', ClientId: '', ClientSecret: 's', Username: '', Password: 's' };
const SCM_CLIENT = { UaaUrl: '', ClientId: '', ClientSecret: 's' };

const COMMANDS: SeedCommand[] = [
  {
    fixture: 'sap-ai-core.curl.txt',
    seed: '000_3c28e376bb80a310.txt',
    verbatim: true,
    expected: {
      grant: 'client_credentials',
      clientAuth: 'body',
      encoding: 'urlencoded',
      variables: { AuthUrl: '', ClientId: '', ClientSecret: 's' },
    },
  },
  ...(['windows', 'mac'] as const).flatMap((os) => [
    {
      fixture: `sap-cloud-management-password-${os}.curl.txt`,
      seed: '001_a573f84447328cef.txt',
      verbatim: true,
      expected: { grant: 'password', clientAuth: 'basic', encoding: 'urlencoded', variables: SCM_PASSWORD },
    },
    {
      fixture: `sap-cloud-management-client-credentials-${os}.curl.txt`,
      seed: '001_a573f84447328cef.txt',
      verbatim: true,
      expected: {
        grant: 'client_credentials',
        clientAuth: 'basic',
        encoding: 'urlencoded',
        variables: SCM_CLIENT,
      },
    },
  ]),
  {
    fixture: 'biotz.httpie.txt',
    seed: '002_eadc4d01abd42b2e.txt',
    verbatim: true,
    expected: {
      grant: 'password',
      clientAuth: 'none',
      encoding: 'urlencoded',
      scope: 'openid',
      variables: {
        AuthUrl: 'https://auth.biotz.io',
        ClientId: 'biotz-platform-devices',
        Username: '',
        Password: 's',
      },
    },
  },
  {
    fixture: 'ibm-api-connect.curl.txt',
    seed: '003_e3b934d820e03129.txt',
    verbatim: true,
    expected: {
      grant: 'password',
      clientAuth: 'body',
      encoding: 'json',
      insecure: true,
      variables: {
        AuthUrl: '',
        ClientId: '599b7aef-8841-4ee2-88a0-84d49c4d6ff',
        ClientSecret: 's',
        Username: '',
        Password: 's',
        AdminProvider: '',
        Realm: '',
      },
    },
    writtenSecrets: { ClientSecret: '0ea28423-e73b-47d4-b40e-ddb45c48bb0' },
  },
  {
    fixture: 'uipath-orchestrator.curl.txt',
    seed: '004_68aafb5fc9480a59.txt',
    verbatim: false,
    expected: {
      grant: 'client_credentials',
      clientAuth: 'body',
      encoding: 'urlencoded',
      scope: '{{Scope}}',
      variables: { AuthUrl: 'https://cloud.uipath.com', ClientId: '', ClientSecret: 's', Scope: '' },
    },
  },
];

const read = (name: string, base: URL) => readFileSync(new URL(name, base), 'utf8');

function init(command: SeedCommand): InitResult & { spec: Spec; yaml: string } {
  const result = initSpec({
    name: 'From the seed',
    file: 'specs/from-the-seed.yaml',
    fromCommand: read(command.fixture, FIXTURES),
  });
  expect(result.problems).toEqual([]);
  if (!result.spec || !result.yaml) throw new Error('no spec');
  return result as InitResult & { spec: Spec; yaml: string };
}

describe.each(COMMANDS)('tokenman init from $fixture', (command) => {
  test(
    command.verbatim
      ? 'the fixture is the command the seed shows'
      : 'the fixture writes out what the seed describes',
    () => {
      // Markdown quoting and indentation aside.
      const unindent = (text: string) => text.replace(/^[ \t]*(> ?)?[ \t]*/gm, '');
      const seed = unindent(read(command.seed, SEEDS));
      const fixture = unindent(read(command.fixture, FIXTURES)).trimEnd();
      if (command.verbatim) expect(seed).toContain(fixture);
      else
        for (const part of [
          'https://cloud.uipath.com/identity_/connect/token',
          'grant_type=client_credentials',
          'client_id={your_client_id}',
          'client_secret={your_client_secret}',
          'scope={scopes separated by space}',
        ])
          expect(seed).toContain(part);
    },
  );

  test('makes a valid spec with the grant, client authentication, encoding and variables the command shows', () => {
    const { spec, yaml } = init(command);
    const token = spec.variants[0]?.token;
    expect(token).toMatchObject({
      grant: command.expected.grant,
      clientAuth: command.expected.clientAuth,
      encoding: command.expected.encoding,
      insecure: command.expected.insecure ?? false,
    });
    if (command.expected.scope) expect(token?.scope).toBe(command.expected.scope);
    const variables = Object.fromEntries(spec.variables.map((v) => [v.name, v.secret ? 's' : v.default]));
    expect(variables).toEqual(command.expected.variables);
    expect(yaml.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/spec.schema.json');
    for (const secret of Object.values(command.writtenSecrets ?? {})) expect(yaml).not.toContain(secret);
  });
});

// ---- sending: the command against the echo server, and the collection in Newman ----

let echo: EchoServer;
let base = '';
let received: Received[] = [];

beforeAll(async () => {
  echo = await startEchoServer(() =>
    JSON.stringify({ access_token: 'tok-access', id_token: 'tok-id', token_type: 'Bearer', expires_in: 300 }),
  );
  base = echo.url;
  received = echo.received;
});

afterAll(() => echo.close());

/** What a token endpoint reads from a request, in a form that compares equal however it was sent. */
async function tokenRequestOf(request: Received) {
  const url = new URL(request.url, base);
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  let fields: string[][] = [];
  if (mediaType === 'application/x-www-form-urlencoded')
    fields = [...new URLSearchParams(request.body.toString('utf8'))];
  else if (mediaType === 'multipart/form-data') {
    const form = await new Response(request.body, {
      headers: { 'content-type': request.headers['content-type'] ?? '' },
    }).formData();
    fields = [...form].map(([key, value]) => [key, String(value)]);
  } else if (mediaType === 'application/json') {
    fields = Object.entries(JSON.parse(request.body.toString('utf8')) as Record<string, unknown>).map(
      ([k, v]) => [k, String(v)],
    );
  }
  const authorization = request.headers.authorization ?? '';
  return {
    method: request.method,
    path: url.pathname,
    query: [...url.searchParams].sort(),
    mediaType,
    fields: fields.sort(),
    basic: authorization.startsWith('Basic ')
      ? Buffer.from(authorization.slice(6), 'base64').toString('utf8')
      : authorization,
    accept: request.headers.accept === '*/*' ? undefined : request.headers.accept,
  };
}

/** The value each variable gets, in the collection's environment and in the command alike. */
function valuesFor(spec: Spec, command: SeedCommand): Record<string, string> {
  const url = spec.variants[0]?.token.url ?? '';
  const values: Record<string, string> = {};
  for (const variable of spec.variables) {
    if (url.startsWith(`{{${variable.name}}}`)) values[variable.name] = base;
    else if (command.writtenSecrets?.[variable.name])
      values[variable.name] = command.writtenSecrets[variable.name] ?? '';
    else if (!variable.default) values[variable.name] = `val-${variable.name.toLowerCase()}`;
  }
  return values;
}

/** The command as bash runs it: the seed's placeholders and host replaced by the test values. */
function runnableCommand(text: string, result: InitResult, spec: Spec, values: Record<string, string>) {
  // A Windows `^` and a `\` followed by spaces both mean "the command goes on" to the reader.
  let script = text.replace(/[ \t]*\^[ \t]*(\r?\n|$)/g, ' \\\n').replace(/\\[ \t]+(\r?\n|$)/g, '\\\n');
  const env: Record<string, string> = {};
  for (const [name, placeholder] of Object.entries(result.placeholders)) {
    const value = values[name] ?? '';
    if (placeholder.startsWith('${')) env[placeholder.slice(2, -1)] = value;
    else script = script.split(placeholder).join(value);
  }
  for (const variable of spec.variables) {
    if (variable.default && values[variable.name] === base)
      script = script.split(variable.default).join(base);
  }
  return { script, env };
}

function bash(
  script: string,
  env: Record<string, string>,
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

const API_PATH = '/an-api-call';

/**
 * Runs an API request, whose token the collection's script fetches itself, then the spec's Get token
 * request, in Newman; returns both token requests that reached the echo server.
 */
async function collectionSends(spec: Spec, values: Record<string, string>): Promise<Received[]> {
  const [collectionFile, environmentFile] = specArtifacts(spec);
  const collection = JSON.parse(collectionFile?.content ?? '{}') as { item: unknown[] };
  const environment = withValues(JSON.parse(environmentFile?.content ?? '{}') as EnvironmentJson, values);
  const apiCall = { name: 'An API call', request: { method: 'GET', url: `${base}${API_PATH}` } };
  const before = received.length;
  const result = await runNewman({
    collection: { ...collection, item: [apiCall, collection.item[0]] } as never,
    environment: environment as never,
    reporters: [],
    timeoutRequest: 10_000,
  });
  expect(result.failures).toEqual([]);
  const sent = received.slice(before);
  const tokenRequests = sent.filter((request) => request.url !== API_PATH);
  // The script's own before the API call, and the Get token request.
  expect(tokenRequests).toHaveLength(2);
  expect(sent.find((request) => request.url === API_PATH)?.headers.authorization).toBe('Bearer tok-access');
  return tokenRequests;
}

describe.each(
  atLeastOne(
    COMMANDS.filter((c) => c.fixture.endsWith('.curl.txt')),
    'curl commands among the seed commands',
  ),
)('the collection from $fixture sends what the command sends', (command) => {
  beforeAll(() => requireTool('curl', 'these tests run the pasted curl commands'));

  test('same method, path, encoding, parameters and client credentials', async () => {
    const result = init(command);
    const values = valuesFor(result.spec, command);
    const { script, env } = runnableCommand(read(command.fixture, FIXTURES), result, result.spec, values);
    const before = received.length;
    const ran = await bash(script.replace(/^(\s*)curl /, '$1curl -s -o /dev/null '), env);
    expect(ran.status, ran.stderr).toBe(0);
    const [fromCurl, ...extra] = received.slice(before);
    expect(extra).toEqual([]);
    const expected = await tokenRequestOf(fromCurl as Received);
    expect(expected.fields.length, 'the command sent parameters').toBeGreaterThan(0);

    const sent = await collectionSends(result.spec, values);
    expect(sent.length).toBeGreaterThan(0);
    // tokenman asks for JSON; that counts only where the command asked for something else.
    for (const request of sent) {
      const got = await tokenRequestOf(request);
      expect(expected.accept === undefined ? { ...got, accept: undefined } : got).toEqual(expected);
    }
  });
});

test('the collection from the HTTPie command sends what HTTPie --form sends', async () => {
  const result = init(COMMANDS.find((c) => c.fixture === 'biotz.httpie.txt') as SeedCommand);
  const values = {
    ...valuesFor(result.spec, COMMANDS[0] as SeedCommand),
    Username: 'device-7@devices',
    Password: 'pw 1',
  };
  const sent = await collectionSends(result.spec, values);
  expect(sent.length).toBeGreaterThan(0);
  for (const request of sent) {
    expect(await tokenRequestOf(request)).toEqual({
      method: 'POST',
      path: '/realms/biotz-platform/protocol/openid-connect/token',
      query: [],
      mediaType: 'application/x-www-form-urlencoded',
      fields: [
        ['client_id', 'biotz-platform-devices'],
        ['grant_type', 'password'],
        ['password', 'pw 1'],
        ['scope', 'openid'],
        ['username', 'device-7@devices'],
      ],
      basic: '',
      accept: 'application/json',
    });
  }
});

test("a spec's own Accept header replaces tokenman's, rather than being sent beside it", async () => {
  const command = COMMANDS.find((c) => c.fixture === 'ibm-api-connect.curl.txt') as SeedCommand;
  const result = init(command);
  expect(result.spec.variants[0]?.token.headers).toEqual([['Accept', 'application/json']]);
  const sent = await collectionSends(result.spec, valuesFor(result.spec, command));
  expect(sent.length).toBeGreaterThan(0);
  // Node joins a repeated header with ", ".
  for (const request of sent) expect(request.headers.accept).toBe('application/json');
});
