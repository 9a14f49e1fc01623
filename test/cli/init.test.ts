import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../support/run-cli.js';
import { snapshotTree } from '../support/snapshot-dir.js';

const SECRET = 'Sup3r-s3cret-value';
const CURL = `curl -sS -u 'acme-app:${SECRET}' -d grant_type=client_credentials -d 'scope=read write' https://login.acme.test/oauth2/v1/token`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tokenman-init-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const init = (args: string[], input?: string) =>
  runCli(['init', ...args], { cwd: dir, ...(input !== undefined ? { input } : {}) });
const specText = () => readFile(path.join(dir, 'specs', 'acme-cloud.yaml'), 'utf8');

describe('tokenman init --from-curl', () => {
  test('writes specs/<name>.yaml that builds and verifies locally, and never writes or prints the secret', async () => {
    const made = await init(['Acme Cloud', '--from-curl', CURL]);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('created specs/acme-cloud.yaml');
    expect(made.stdout).toContain('ClientSecret (secret)');
    const text = await specText();
    expect(parse(text)).toMatchObject({
      name: 'Acme Cloud',
      variables: {
        AuthUrl: { default: 'https://login.acme.test' },
        ClientId: { default: 'acme-app' },
        ClientSecret: { secret: true },
      },
      token: {
        url: '{{AuthUrl}}/oauth2/v1/token',
        grant: 'client_credentials',
        clientAuth: 'basic',
        scope: 'read write',
      },
    });

    const built = await runCli(['build'], { cwd: dir });
    expect(built.code, built.stderr).toBe(0);
    const verified = await runCli(['verify'], { cwd: dir });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('1 passed, 0 failed');

    // Every generated file, the Bruno collection under dist/bruno/<spec>/ included.
    const dist = Object.values(snapshotTree(path.join(dir, 'dist')));
    expect(dist.length).toBeGreaterThan(3);
    for (const output of [made.stdout, made.stderr, text, ...dist]) expect(output).not.toContain(SECRET);
  });

  test('reads a multi-line command from stdin with -', async () => {
    const command = await readFile(new URL('../fixtures/init/sap-ai-core.curl.txt', import.meta.url), 'utf8');
    const made = await init(['Acme Cloud', '--from-curl', '-'], command);
    expect(made.code, made.stderr).toBe(0);
    expect(parse(await specText()).token).toMatchObject({ grant: 'client_credentials', clientAuth: 'body' });
  });

  test('--stdout prints the spec and writes nothing', async () => {
    const printed = await init(['Acme Cloud', '--from-curl', CURL, '--stdout']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(parse(printed.stdout)).toMatchObject({ name: 'Acme Cloud', token: { clientAuth: 'basic' } });
    expect(printed.stderr).toContain('note: the client secret written in the command was left out');
    await expect(readdir(dir)).resolves.toEqual([]);
  });

  test('never replaces a spec that exists, unless --force', async () => {
    await writeFile(path.join(dir, 'placeholder'), '');
    expect((await init(['Acme Cloud', '--from-curl', CURL])).code).toBe(0);
    const before = await specText();

    const again = await init(['Acme Cloud', '--url', 'https://other.acme.test/token', '-y']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('specs/acme-cloud.yaml already exists; pass --force');
    expect(await specText()).toBe(before);

    const forced = await init(['Acme Cloud', '--url', 'https://other.acme.test/token', '-y', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(parse(await specText()).variables.AuthUrl.default).toBe('https://other.acme.test');
    // Only the spec and the file that was there: no temporary file left behind.
    expect((await readdir(dir)).sort()).toEqual(['placeholder', 'specs']);
    expect(await readdir(path.join(dir, 'specs'))).toEqual(['acme-cloud.yaml']);
  });

  test('a command it cannot read is an error at its place in the command, without repeating the command', async () => {
    const bad = await init([
      'Acme Cloud',
      '--from-curl',
      `curl -u id:${SECRET} --frobnicate https://login.acme.test/token`,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      [
        '--from-curl:1:31: error: curl option --frobnicate is not one tokenman understands',
        '  hint: remove it; tokenman reads -X, -H, -u, -d, --data, --data-raw, --data-binary, --data-urlencode, -F, --json, --url, -G, -k, --cert and --key',
        '',
      ].join('\n'),
    );
    await expect(readdir(dir)).resolves.toEqual([]);
  });

  test('an unsupported grant names what is supported', async () => {
    const bad = await init([
      'Acme Cloud',
      '--from-curl',
      'curl -d grant_type=authorization_code -d code=x https://h.test/t',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      '--from-curl:1:9: error: grant_type "authorization_code" is not one tokenman can run unattended',
    );
    expect(bad.stderr).toContain('hint: tokenman supports client_credentials, password, refresh_token');
  });
});

describe('tokenman init --from-curl with a certificate or a signed assertion', () => {
  const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  // A pasted JWT (its signature made up: init never verifies it, and must never repeat it).
  const payload = b64url({ iss: 'svc-account-3e9a@acme.test', exp: 4102444800 });
  const jwt = (header: object) => `${b64url(header)}.${payload}.U2lnbmF0dXJlLW9mLXRoZS1qd3Q`;
  const cases = [
    {
      title: 'an SAP x509 service key: clientAuth tls and the certificate left to Postman and Newman',
      command:
        'curl --cert cert.pem --key key.pem -d grant_type=client_credentials -d client_id=sb-ai!b1 https://acme.authentication.cert.eu10.hana.ondemand.com/oauth/token',
      token: {
        grant: 'client_credentials',
        clientAuth: 'tls',
        clientId: '{{ClientId}}',
        clientCertificate: { certificate: '{{Certificate}}', key: '{{PrivateKey}}' },
      },
      variables: ['AuthUrl', 'ClientId', 'Certificate', 'PrivateKey'],
      pasted: ['cert.pem', 'key.pem'],
    },
    {
      title:
        'a client assertion: private_key_jwt signed with a PrivateKey secret, alg and kid from its header',
      command: `curl -d grant_type=client_credentials -d client_id=app-1 -d client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer -d client_assertion=${jwt({ alg: 'ES256', kid: 'okta-kid-1' })} https://acme.okta.test/oauth2/v1/token`,
      token: {
        grant: 'client_credentials',
        clientAuth: 'private_key_jwt',
        assertion: { alg: 'ES256', key: '{{PrivateKey}}', kid: '{{KeyId}}' },
      },
      variables: ['AuthUrl', 'ClientId', 'PrivateKey', 'KeyId'],
      pasted: [
        jwt({ alg: 'ES256', kid: 'okta-kid-1' }),
        payload,
        'U2lnbmF0dXJlLW9mLXRoZS1qd3Q',
        'svc-account-3e9a',
      ],
    },
    {
      title: 'the jwt-bearer grant: the assertion signed with a PrivateKey secret',
      command: `curl -d grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer -d assertion=${jwt({ alg: 'RS256' })} https://oauth2.googleapis.test/token`,
      token: {
        grant: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        clientAuth: 'none',
        assertion: { alg: 'RS256', key: '{{PrivateKey}}', issuer: '{{Issuer}}' },
      },
      variables: ['AuthUrl', 'PrivateKey', 'Issuer'],
      pasted: [jwt({ alg: 'RS256' }), payload, 'U2lnbmF0dXJlLW9mLXRoZS1qd3Q', 'svc-account-3e9a'],
    },
  ];

  test.each(cases)('$title', async ({ command, token, variables, pasted }) => {
    const made = await init(['Acme Cloud', '--from-curl', command]);
    expect(made.code, made.stderr).toBe(0);
    const text = await specText();
    const spec = parse(text);
    expect(spec.token).toMatchObject(token);
    expect(Object.keys(spec.variables)).toEqual(variables);
    if (spec.variables.PrivateKey) expect(spec.variables.PrivateKey).toMatchObject({ secret: true });
    // The spec that was written is one build accepts.
    const built = await runCli(['build'], { cwd: dir });
    expect(built.code, built.stderr).toBe(0);
    for (const output of [made.stdout, made.stderr, text]) {
      for (const part of pasted) expect(output).not.toContain(part);
    }
  });

  test('the certificate note says where the certificate goes', async () => {
    const made = await init(['Acme Cloud', '--from-curl', cases[0]?.command ?? '', '--stdout']);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stderr).toContain('Settings → Certificates');
    expect(made.stderr).toContain('--ssl-client-cert-list');
  });
});

describe('tokenman init without a command', () => {
  test('takes everything from options', async () => {
    const made = await init([
      'Acme Cloud',
      '--url',
      'https://id.acme.test/realms/main/protocol/openid-connect/token',
      '--grant',
      'password',
      '--client-auth',
      'none',
      '--encoding',
      'form-data',
      '--scope',
      'openid',
      '-y',
    ]);
    expect(made.code, made.stderr).toBe(0);
    const spec = parse(await specText());
    expect(spec.token).toEqual({
      url: '{{AuthUrl}}/realms/main/protocol/openid-connect/token',
      grant: 'password',
      clientAuth: 'none',
      encoding: 'form-data',
      clientId: '{{ClientId}}',
      username: '{{Username}}',
      password: '{{Password}}',
      scope: 'openid',
    });
    expect(spec.variables.Password).toEqual({ description: 'Password for the password grant', secret: true });
  });

  test('asks for what is missing, and asks again after an answer that is not a choice', async () => {
    const answers = [
      'Acme Cloud',
      'https://login.acme.test/token',
      'implicit',
      'password',
      'body',
      '',
      'api.read',
      '',
    ];
    const made = await init(['--interactive'], answers.join('\n'));
    expect(made.code, made.stderr).toBe(0);
    expect(made.stderr).toContain(
      'Grant (client_credentials/password/refresh_token/jwt-bearer, default client_credentials): ',
    );
    expect(made.stderr).toContain('choose one of client_credentials, password, refresh_token, jwt-bearer');
    expect(parse(await specText()).token).toMatchObject({
      grant: 'password',
      clientAuth: 'body',
      scope: 'api.read',
    });
  });

  test.each([
    [
      'tls',
      'client_credentials',
      { clientAuth: 'tls', clientCertificate: { certificate: '{{Certificate}}', key: '{{PrivateKey}}' } },
    ],
    [
      'private_key_jwt',
      'client_credentials',
      { clientAuth: 'private_key_jwt', assertion: { key: '{{PrivateKey}}' } },
    ],
    [
      'client_secret_jwt',
      'client_credentials',
      { clientAuth: 'client_secret_jwt', clientSecret: '{{ClientSecret}}' },
    ],
    [
      'none',
      'jwt-bearer',
      {
        grant: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: { key: '{{PrivateKey}}', issuer: '{{Issuer}}' },
      },
    ],
  ])(
    'offers client authentication %s and grant %s, and writes a spec that validates',
    async (how, grant, token) => {
      const made = await init(
        ['--interactive'],
        ['Acme Cloud', 'https://login.acme.test/token', grant, how, '', ''].join('\n'),
      );
      expect(made.code, made.stderr).toBe(0);
      const spec = parse(await specText());
      expect(spec.token).toMatchObject(token);
      expect(spec.variables.PrivateKey?.secret ?? true).toBe(true);
    },
  );

  test('when the answers end, the questions with a default take it', async () => {
    const made = await init(['--interactive'], 'Acme Cloud\nhttps://login.acme.test/token\n');
    expect(made.code, made.stderr).toBe(0);
    expect(parse(await specText()).token).toMatchObject({ grant: 'client_credentials', clientAuth: 'basic' });
  });

  test('a curl command pasted at the URL question is read as one', async () => {
    const made = await init(['--interactive'], `Acme Cloud\n${CURL}\n`);
    expect(made.code, made.stderr).toBe(0);
    expect(parse(await specText()).token).toMatchObject({ clientAuth: 'basic', scope: 'read write' });
  });

  test('without a terminal and without the token request, it says what to pass', async () => {
    const missing = await init(['Acme Cloud']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('tokenman init needs the token request: --from-curl');
    const nameless = await init(['--url', 'https://h.test/t']);
    expect(nameless.code).toBe(1);
    expect(nameless.stderr).toContain('tokenman init needs a name');
  });
});
