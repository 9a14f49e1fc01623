import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/spec/format-problem.js';
import { loadSpec, parseSpec } from '../../src/spec/load-spec.js';
import { isSecretName } from '../../src/spec/secret-names.js';
import { seedSpecFiles } from '../support/specs.js';

// Secrets written into a spec are refused (they would be copied into dist/), names that say a value
// is secret warn when the value is written out, and secrets sent in a URL warn.

/** A spec with the usual variables and the given token lines (each indented under token:). */
function spec(token: string, extra = ''): string {
  return `name: X
variables:
  AuthUrl: {}
  ClientId: {}
  ClientSecret: { secret: true }
  Username: {}
  Password: { secret: true }
  Passcode: { secret: true, optional: true }
token:
  url: "{{AuthUrl}}/oauth/token"
${token
  .trim()
  .split('\n')
  .map((line) => `  ${line}`)
  .join('\n')}
${extra}`;
}

/** Each problem as `severity rule line:col`, leaving out the variables these short specs leave unused. */
const rules = (text: string, file = 'x.yaml') =>
  parseSpec(text, file)
    .problems.filter((p) => p.ruleId !== 'unused-variable')
    .map((p) => `${p.severity} ${p.ruleId} ${p.position?.line}:${p.position?.col}`);

/** Every problem as the CLI prints it, frames included. */
const printed = (text: string) =>
  parseSpec(text, 'x.yaml')
    .problems.map((p) => formatProblem(p, text))
    .join('\n');

describe('secrets written into a spec', () => {
  it('refuses a client secret, password or refresh token written out, even in part', () => {
    expect(rules(spec('grant: client_credentials\nclientId: "{{ClientId}}"\nclientSecret: abc123'))).toEqual([
      'error secret-written-out 13:17',
    ]);
    expect(
      rules(
        spec(
          'grant: password\nclientId: "{{ClientId}}"\nclientSecret: "{{ClientSecret}}"\nusername: "{{Username}}"\npassword: "{{Password}}x1"',
        ),
      ),
    ).toEqual(['error secret-written-out 15:13']);
    expect(
      rules(
        spec(
          'grant: refresh_token\nclientId: "{{ClientId}}"\nclientSecret: "{{ClientSecret}}"\nrefreshToken: r-1',
        ),
      ).filter((r) => r.startsWith('error')),
    ).toEqual(['error secret-written-out 14:17']);
  });

  it('accepts templates, a password made of two variables, and a client secret from a variable with a default', () => {
    expect(
      rules(
        spec(
          'grant: password\nclientId: "{{ClientId}}"\nclientSecret: "{{ClientSecret}}"\nusername: "{{Username}}"\npassword: "{{Password}}{{Passcode}}"',
        ),
      ),
    ).toEqual([]);
    // API Connect's toolkit client secret is the same published value for everyone: a variable
    // with a default, which the spec author chose not to mark secret.
    const apiConnect = spec(
      'grant: client_credentials\nclientAuth: body\nclientId: "{{ClientId}}"\nclientSecret: "{{Fixed}}"',
    ).replace('variables:\n', 'variables:\n  Fixed: { default: 3ecff363-7eb3 }\n');
    expect(rules(apiConnect).filter((r) => !r.includes('unused-variable'))).toEqual([]);
  });

  it('leaves an empty secret to the empty-field rule: one error, not two', () => {
    expect(rules(spec('grant: client_credentials\nclientId: "{{ClientId}}"\nclientSecret: ""'))).toEqual([
      'error empty-field 13:17',
    ]);
  });

  it('refuses a password before the host of any URL, but not a user name alone', () => {
    const request = (url: string) =>
      spec(
        'grant: client_credentials\nclientId: "{{ClientId}}"\nclientSecret: "{{ClientSecret}}"',
        `requests:\n  - name: R\n    url: "${url}"\n`,
      );
    expect(rules(request('https://u:pw-7@api.example.com/x'))).toEqual(['error secret-written-out 16:21']);
    // Pointed at the password, even when the user name holds the same text.
    expect(rules(request('https://pw-7pw-7:pw-7@api.example.com/x'))).toEqual([
      'error secret-written-out 16:28',
    ]);
    expect(rules(request('https://u@api.example.com/x'))).toEqual([]);
    expect(rules(request('https://u:{{ClientId}}@api.example.com/x'))).toEqual([]);
  });

  it('never prints the secret, not even in the frame of another problem on the next line', () => {
    const text = spec(
      'grant: client_credentials\nclientId: "{{ClientId}}"\nclientSecret: Sup3rS3cret-9\nscope: "{{Scope}}"',
    ).replace(
      'url: "{{AuthUrl}}/oauth/token"',
      'url: "https://app:Url-Pa55@login.example.com/token?api_key=Key-77"',
    );
    const output = printed(text);
    expect(output).toContain('undefined variable "Scope"');
    expect(output).toContain('  13 |   clientSecret: ***');
    expect(output).toContain('url: "https://app:***@login.example.com/token?api_key=***"');
    for (const secret of ['Sup3rS3cret-9', 'Url-Pa55', 'Key-77']) expect(output).not.toContain(secret);
  });
});

describe('values written out under a secret name', () => {
  const token = 'grant: client_credentials\nclientId: "{{ClientId}}"\nclientSecret: "{{ClientSecret}}"';

  it('warns for token params and headers, request headers and URL query values', () => {
    expect(rules(spec(`${token}\nparams:\n  client_assertion: eyJ.e30.sig`))).toEqual([
      'warning secret-name-written-out 15:23',
    ]);
    expect(rules(spec(`${token}\nheaders:\n  X-Api-Key: k-1`))).toEqual([
      'warning secret-name-written-out 15:16',
    ]);
    expect(
      rules(
        spec(
          token,
          'requests:\n  - name: R\n    url: "{{AuthUrl}}/x?api_key=k-2"\n    headers:\n      Authorization: Basic eDp5\n',
        ),
      ),
    ).toEqual(['warning secret-name-written-out 16:33', 'warning secret-name-written-out 18:22']);
  });

  it('does not warn for a template, an empty value, or a name that says what kind of value it is', () => {
    expect(
      rules(
        spec(
          `${token}\nparams:\n  client_assertion: "{{ClientId}}"\n  client_assertion_type: urn:ietf:params:oauth:client-assertion-type:jwt-bearer\n  requested_token_type: urn:ietf:params:oauth:token-type:jwt\nheaders:\n  X-Api-Key: ""`,
        ),
      ),
    ).toEqual([]);
  });

  it('shares one list of secret-looking names with tokenman init', () => {
    for (const name of [
      'client_secret',
      'password',
      'refresh_token',
      'api_key',
      'X-Api-Key',
      'client_assertion',
    ])
      expect(isSecretName(name), name).toBe(true);
    for (const name of [
      'client_id',
      'username',
      'scope',
      'audience',
      'client_assertion_type',
      'token_type_hint',
    ])
      expect(isSecretName(name), name).toBe(false);
  });
});

describe('secrets in a URL', () => {
  it('warns at encoding: when a query-encoded token request sends a secret, and not for Basic client auth', () => {
    const post =
      'grant: client_credentials\nclientId: "{{ClientId}}"\nclientSecret: "{{ClientSecret}}"\nencoding: query';
    expect(rules(spec(`${post}\nclientAuth: body`))).toEqual(['warning secret-in-url 14:3']);
    expect(rules(spec(`${post}\nclientAuth: basic`))).toEqual([]);
  });

  it('warns once at method: GET for every variant, naming what any of them sends', () => {
    const text = spec(
      'method: GET\nclientAuth: body\nclientId: "{{ClientId}}"\nclientSecret: "{{ClientSecret}}"',
      `variants:
  password:
    name: P
    token: { grant: password, username: "{{Username}}", password: "{{Password}}" }
  client:
    name: C
    token: { grant: client_credentials }
`,
    );
    const { problems } = parseSpec(text, 'x.yaml');
    expect(
      problems
        .filter((p) => p.ruleId !== 'unused-variable')
        .map((p) => [p.ruleId, p.position?.line, p.message]),
    ).toEqual([
      [
        'secret-in-url',
        11,
        "the token request sends password and client_secret in the URL query (method GET), which Newman's cli reporter prints on every run and proxies and servers log",
      ],
    ]);
  });

  it('warns at a secret variable in any URL', () => {
    expect(
      rules(
        spec(
          'grant: client_credentials\nclientId: "{{ClientId}}"\nclientSecret: "{{ClientSecret}}"',
          'requests:\n  - name: R\n    url: "{{AuthUrl}}/x?key={{Password}}"\n',
        ),
      ),
    ).toEqual(['warning secret-in-url 16:29']);
  });

  it('finds nothing to say about the seed specs', async () => {
    for (const file of seedSpecFiles) expect((await loadSpec(file)).problems, file).toEqual([]);
  });
});

describe('environment variable names within a spec', () => {
  const withVariables = (variables: string) =>
    `name: X
variables:
  AuthUrl: {}
${variables}
token:
  url: "{{AuthUrl}}/oauth/token"
  grant: client_credentials
  clientAuth: none
  clientId: "{{AuthUrl}}"
`;

  it('refuses ClientId beside ClientID or Client_Id, at the second', () => {
    const { problems } = parseSpec(withVariables('  ClientId: {}\n  Client_Id: {}'), 'specs/acme.yaml');
    expect(problems.filter((p) => p.severity === 'error').map((p) => [p.position?.line, p.message])).toEqual([
      [
        5,
        'variable "Client_Id" would be read from TOKENMAN_ACME_CLIENT_ID, as "ClientId" (line 4) is: tokenman verify could not tell them apart',
      ],
    ]);
  });

  it("refuses a variable whose shared name is another's name scoped to this spec", () => {
    const text = withVariables('  ClientSecret: {}\n  SapClientSecret: {}');
    expect(rules(text, 'specs/sap.yaml').filter((r) => r.startsWith('error'))).toEqual([
      'error environment-name-collision 5:3',
    ]);
    // The same variables in a spec of another name read different names.
    expect(rules(text, 'specs/acme.yaml').filter((r) => r.startsWith('error'))).toEqual([]);
  });
});

describe('JSON bodies', () => {
  it('are data: a "url" or "headers" key in one is neither checked as a URL nor as a header', () => {
    const text = spec(
      'grant: client_credentials\nclientId: "{{ClientId}}"\nclientSecret: "{{ClientSecret}}"',
      'requests:\n  - name: R\n    url: "{{AuthUrl}}/hooks"\n    json:\n      url: callback path\n      headers: { X-Api-Key: shown-to-the-api }\n',
    );
    expect(rules(text)).toEqual([]);
  });
});
