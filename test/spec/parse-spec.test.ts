import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadSpec, parseSpec } from '../../src/spec/load-spec.js';
import type { Spec, TokenRequestDef } from '../../src/spec/types.js';

const fixture = (name: string) => new URL(`../fixtures/valid/${name}`, import.meta.url).pathname;

// Every default from the spec format, as the top-level token of minimal.yaml gets them.
const defaultToken: TokenRequestDef = {
  url: '{{AuthUrl}}/oauth/token',
  method: 'POST',
  grant: 'client_credentials',
  clientAuth: 'basic',
  basicEncoding: 'raw',
  encoding: 'urlencoded',
  clientId: '{{ClientId}}',
  clientSecret: '{{ClientSecret}}',
  username: '',
  password: '',
  refreshToken: '',
  assertion: null,
  subjectToken: '',
  subjectTokenType: 'urn:ietf:params:oauth:token-type:access_token',
  apiKey: '',
  clientCertificate: null,
  discovery: '',
  scope: '',
  params: [],
  headers: [],
  tokenPath: 'access_token',
  expiresInPath: 'expires_in',
  skew: 60,
  fallbackLifetime: 300,
  retryAfter: 5,
  refresh: true,
  insecure: false,
};

describe('parseSpec', () => {
  it('applies every default to a minimal spec', async () => {
    const file = fixture('minimal.yaml');
    const result = await loadSpec(file);
    expect(result.problems).toEqual([]);
    expect(result.spec).toEqual<Spec>({
      id: 'minimal',
      file,
      name: 'Example API',
      description: '',
      variables: [
        { name: 'AuthUrl', description: '', default: '', secret: false, optional: false, credentials: [] },
        { name: 'ClientId', description: '', default: '', secret: false, optional: false, credentials: [] },
        {
          name: 'ClientSecret',
          description: '',
          default: '',
          secret: true,
          optional: false,
          credentials: [],
        },
      ],
      preSteps: [
        {
          name: 'Discover',
          method: 'GET',
          url: '{{AuthUrl}}/.well-known/openid-configuration',
          headers: [],
          unless: '',
          set: [['AuthUrl', 'issuer']],
        },
      ],
      requests: [
        {
          name: 'Who am I',
          description: '',
          method: 'GET',
          url: '{{AuthUrl}}/userinfo',
          headers: [],
          json: undefined,
          expect: null,
        },
        {
          name: 'Create item',
          description: '',
          method: 'POST',
          url: '{{AuthUrl}}/items',
          headers: [],
          json: { name: 'example' },
          expect: null,
        },
      ],
      api: null,
      collection: null,
      variants: [
        {
          key: '',
          name: 'Example API',
          description: '',
          token: defaultToken,
          defaults: { AuthUrl: '', ClientId: '', ClientSecret: '' },
        },
      ],
    });
  });

  it('merges each variant over the top-level token and keeps spec order', async () => {
    const file = fixture('full.yaml');
    const result = await loadSpec(file);
    expect(result.problems).toEqual([]);
    const spec = result.spec as Spec;
    expect(spec.id).toBe('full');
    expect(spec.description).toBe("An external application's token for the Orchestrator API.");
    expect(spec.variables.map((v) => v.name)).toEqual([
      'IdentityUrl',
      'OrchestratorUrl',
      'ClientId',
      'ClientSecret',
      'Scope',
      'FolderId',
    ]);
    expect(spec.variables[5]).toEqual({
      name: 'FolderId',
      description: 'The folder (organization unit) to add queue items to',
      default: '',
      secret: false,
      optional: true,
      credentials: [],
    });
    expect(spec.preSteps).toEqual([
      {
        name: 'Find the folder',
        method: 'GET',
        url: '{{OrchestratorUrl}}/odata/Folders',
        headers: [['Authorization', 'Bearer {{Token}}']],
        unless: 'FolderId',
        set: [['FolderId', 'value[0].Id']],
      },
    ]);
    expect(spec.requests).toEqual([
      {
        name: 'Add Queue Item',
        description: 'Adds one item to a queue.',
        method: 'POST',
        url: '{{OrchestratorUrl}}/odata/Queues/UiPathODataSvc.AddQueueItem',
        headers: [['X-UIPATH-OrganizationUnitId', '{{FolderId}}']],
        json: {
          itemData: { Name: 'Invoices', Priority: 'Normal', SpecificContent: { Folder: '{{FolderId}}' } },
        },
        expect: 201,
      },
    ]);

    const cloudToken: TokenRequestDef = {
      ...defaultToken,
      url: '{{IdentityUrl}}/connect/token',
      clientAuth: 'body',
      scope: '{{Scope}}',
      params: [['audience', 'orchestrator']],
      headers: [['Accept', 'application/json']],
      skew: 30,
    };
    expect(spec.variants).toEqual([
      {
        key: 'cloud',
        name: 'UiPath Orchestrator (cloud)',
        description: '',
        token: cloudToken,
        defaults: {
          IdentityUrl: 'https://cloud.uipath.com/identity_',
          OrchestratorUrl: '',
          ClientId: '',
          ClientSecret: '',
          Scope: 'OR.Queues OR.Folders',
          FolderId: '',
        },
      },
      {
        key: 'on-prem',
        name: 'UiPath Orchestrator (on-premises)',
        description: "The Orchestrator's own identity server.",
        token: {
          ...cloudToken,
          // Maps merge per entry: an overridden entry keeps its place, new ones follow.
          params: [
            ['audience', 'on-prem'],
            ['resource', 'orchestrator'],
          ],
          headers: [
            ['Accept', 'application/json'],
            ['X-Client', 'tokenman'],
          ],
          tokenPath: 'id_token',
          insecure: true,
        },
        defaults: {
          IdentityUrl: 'https://orchestrator.example.com/identity',
          OrchestratorUrl: '',
          ClientId: '',
          ClientSecret: '',
          Scope: 'OR.Queues',
          FolderId: '',
        },
      },
    ]);
  });

  it('defaults the encoding of a GET token request to query', () => {
    const text = (extra: string) => `name: X
variables:
  Url: {}
token:
  url: "{{Url}}/token"
  method: GET
  grant: client_credentials
  clientId: id
  clientAuth: none
${extra}`;
    expect(parseSpec(text(''), 'x.yaml').spec?.variants[0]?.token.encoding).toBe('query');
    expect(parseSpec(text('  encoding: query\n'), 'x.yaml').spec?.variants[0]?.token.encoding).toBe('query');
  });

  it('allows {{RefreshToken}} in token.refreshToken and {{Token}} anywhere', () => {
    const result = parseSpec(
      `name: X
variables:
  Url: {}
token:
  url: "{{Url}}/token"
  grant: refresh_token
  refreshToken: "{{RefreshToken}}"
  clientAuth: none
requests:
  - name: Me
    url: "{{Url}}/me"
    headers:
      X-Token: "{{Token}}"
`,
      'x.yaml',
    );
    expect(result.problems).toEqual([]);
    expect(result.spec?.variants[0]?.token.refreshToken).toBe('{{RefreshToken}}');
  });

  it('accepts URLs with a variable as host, subdomain or port', () => {
    for (const url of [
      '{{Url}}/oauth/token',
      'https://{{Url}}.authentication.eu10.hana.ondemand.com/oauth/token',
      'https://login.example.com:{{Url}}/token',
      'http://localhost:8080/realms/{{Url}}/protocol/openid-connect/token',
    ]) {
      const text = `name: X\nvariables:\n  Url: {}\ntoken:\n  url: "${url}"\n  grant: client_credentials\n  clientId: id\n  clientAuth: none\n`;
      expect(parseSpec(text, 'x.yaml').problems, url).toEqual([]);
    }
  });

  it('returns warnings with the spec, and no spec with errors', () => {
    const text = `name: X
variables:
  Url: {}
  Unused: {}
token:
  url: "{{Url}}/token"
  grant: client_credentials
  clientId: id
  clientAuth: none
`;
    const result = parseSpec(text, 'x.yaml');
    expect(result.spec).toBeDefined();
    expect(result.problems).toMatchObject([
      { ruleId: 'unused-variable', severity: 'warning', position: { line: 4, col: 3 } },
    ]);
    const broken = parseSpec(text.replace('grant: client_credentials', 'grant: implicit'), 'x.yaml');
    expect(broken.spec).toBeUndefined();
  });

  it('names the variants a top-level rule breaks in, when it is not all of them', () => {
    const text = `name: X
variables:
  Url: {}
  User: {}
  Pass: { secret: true }
token:
  url: "{{Url}}/token"
  grant: password
  clientAuth: none
  clientId: id
variants:
  a:
    name: A
  b:
    name: B
    token:
      username: "{{User}}"
      password: "{{Pass}}"
`;
    const messages = parseSpec(text, 'x.yaml').problems.map((p) => `${p.position?.line}: ${p.message}`);
    expect(messages).toEqual([
      '8: grant "password" needs username (in variant "a")',
      '8: grant "password" needs password (in variant "a")',
    ]);
  });

  it('never throws, whatever the text', async () => {
    const samples = [
      await readFile(fixture('full.yaml'), 'utf8'),
      '',
      '---',
      '~',
      '[',
      '{{',
      '*a',
      '&a [*a]',
      '!!binary AAAA',
      'name: !custom x',
      '\uFEFFname: x',
      'a:\n  - b\n  -',
      '"\\u',
    ];
    for (const sample of samples) {
      for (let end = 0; end <= sample.length; end += 7) {
        expect(() => parseSpec(sample.slice(0, end), 'x.yaml')).not.toThrow();
      }
    }
  });
});

describe('credentials file paths and client certificates', () => {
  const spec = (variables: string, token = '') =>
    `name: x\nvariables:\n${variables}token:\n  url: "{{AuthUrl}}/oauth/token"\n  grant: client_credentials\n  clientAuth: none\n  clientId: "{{ClientId}}"\n${token}`;

  it('reads one path or a list of paths per variable, and none as an empty list', () => {
    const { spec: parsed, problems } = parseSpec(
      spec(
        '  AuthUrl:\n    credentials: [uaa.url, url]\n  ClientId:\n    credentials: clientid\n  Other: {}\n',
        '',
      ),
      'x.yaml',
    );
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(parsed?.variables.map((v) => [v.name, v.credentials])).toEqual([
      ['AuthUrl', ['uaa.url', 'url']],
      ['ClientId', ['clientid']],
      ['Other', []],
    ]);
  });

  it('refuses a path that is not a dotted path, naming its line', () => {
    const { problems } = parseSpec(
      spec('  AuthUrl:\n    credentials: "uaa..url"\n  ClientId: {}\n'),
      'x.yaml',
    );
    const error = problems.find((p) => p.severity === 'error');
    expect(error).toMatchObject({ file: 'x.yaml', position: { line: 4, col: 18 } });
    expect(error?.message).toContain('must be a credentials file path');
  });

  it('keeps the certificate and key templates of mutual TLS', () => {
    const { spec: parsed } = parseSpec(
      spec(
        '  AuthUrl: {}\n  ClientId: {}\n  Certificate: {}\n  PrivateKey:\n    secret: true\n',
        '  clientCertificate:\n    certificate: "{{Certificate}}"\n    key: "{{PrivateKey}}"\n',
      ),
      'x.yaml',
    );
    expect(parsed?.variants[0]?.token.clientCertificate).toEqual({
      certificate: '{{Certificate}}',
      key: '{{PrivateKey}}',
    });
  });
});
