import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { type InitOptions, initSpec } from '../../src/init/init-spec.js';

function made(fromCommand: string, options: Partial<InitOptions> = {}) {
  const result = initSpec({ name: 'Acme', file: 'specs/acme.yaml', fromCommand, ...options });
  expect(result.problems).toEqual([]);
  return { ...result, yaml: result.yaml ?? '', doc: parse(result.yaml ?? '') };
}

describe('what tokenman init reads from a command', () => {
  test('a POST whose query holds the whole request sends it in the query again, and drops the secret', () => {
    const { doc, yaml } = made(
      `curl -X POST 'https://h.test/token?grant_type=client_credentials&client_id=app&client_secret=QuerySecret1'`,
    );
    expect(doc.token).toMatchObject({ url: '{{AuthUrl}}/token', encoding: 'query', clientAuth: 'body' });
    expect(yaml).not.toContain('QuerySecret1');
  });

  test('a secret in a query kept beside a body is left out too', () => {
    const { doc, yaml } = made(
      `curl -d grant_type=client_credentials 'https://h.test/token?client_id=app&client_secret=QuerySecret4&tenant=a%20b'`,
    );
    expect(doc.token.url).toBe(
      '{{AuthUrl}}/token?client_id={{ClientId}}&client_secret={{ClientSecret}}&tenant=a%20b',
    );
    expect(yaml).not.toContain('QuerySecret4');
  });

  test('headers and parameters named like secrets keep no written value', () => {
    const { doc, yaml, notes } = made(
      `curl -u app:x -H 'X-Api-Key: HeaderKey5' -d grant_type=client_credentials -d client_assertion=Assertion6 -d audience=api https://h.test/t`,
    );
    expect(doc.token.headers).toEqual({ 'X-Api-Key': '{{XApiKey}}' });
    expect(doc.token.params).toEqual({ client_assertion: '{{ClientAssertion}}', audience: 'api' });
    expect(doc.variables.XApiKey).toEqual({
      description: 'The X-Api-Key header of the token request',
      secret: true,
    });
    for (const text of [yaml, ...notes]) {
      expect(text).not.toContain('HeaderKey5');
      expect(text).not.toContain('Assertion6');
    }
    expect(notes).toContain(
      'the X-Api-Key header written in the command was left out: XApiKey is a secret variable; each user enters it in their environment',
    );
  });

  test('credentials before the host are Basic client authentication, and never join the host', () => {
    const { doc, yaml } = made(
      'curl -d grant_type=client_credentials https://app:UrlSecret1@login.acme.test/oauth/token',
    );
    expect(doc.token).toMatchObject({ url: '{{AuthUrl}}/oauth/token', clientAuth: 'basic' });
    expect(doc.variables.AuthUrl.default).toBe('https://login.acme.test');
    expect(doc.variables.ClientId.default).toBe('app');
    expect(yaml).not.toContain('UrlSecret1');
  });

  test('more names that carry secrets: subscription keys, X-Authorization, pwd, private keys', () => {
    const { doc, yaml } = made(
      `curl -u a:b -H 'Ocp-Apim-Subscription-Key: SubKey1' -H 'X-Authorization: Basic WEthOlk=' -d grant_type=client_credentials -d pwd=Pwd2 -d private_key_jwt=Jwt3 https://h.test/t`,
    );
    for (const secret of ['SubKey1', 'WEthOlk=', 'Pwd2', 'Jwt3']) expect(yaml).not.toContain(secret);
    expect(doc.variables.OcpApimSubscriptionKey.secret).toBe(true);
  });

  test('an empty credential becomes a variable to fill, not an empty value', () => {
    const { doc } = made("curl -u ':x' -d grant_type=password -d username= -d password= https://h.test/t");
    expect(doc.token).toMatchObject({
      clientId: '{{ClientId}}',
      username: '{{Username}}',
      password: '{{Password}}',
    });
    expect(doc.variables.ClientId).toEqual({ description: 'OAuth client id' });
  });

  test('a parameter whose name is not a name is refused, without repeating it', () => {
    const result = initSpec({
      name: 'Acme',
      file: 'specs/acme.yaml',
      fromCommand: `curl -d '"client_secret":"Leak4"=x' -d grant_type=password https://h.test/t`,
    });
    expect(result.problems[0]).toMatchObject({
      message: 'the data has a parameter whose name is not a name (empty, or with quotes, braces or spaces)',
      position: { line: 1, col: 9 },
    });
    expect(JSON.stringify(result)).not.toContain('Leak4');
  });

  test('-G is a GET with the parameters in the query', () => {
    const { doc } = made('curl -G -d grant_type=client_credentials -u app:x https://h.test/token');
    expect(doc.token.method).toBe('GET');
    expect(doc.token.encoding).toBeUndefined();
  });

  test('an Authorization: Basic header is read back into client id and secret', () => {
    const basic = Buffer.from('sb-app!b1|x:HeaderSecret2').toString('base64');
    const { doc, yaml } = made(
      `curl -H 'Authorization: Basic ${basic}' -d grant_type=client_credentials https://h.test/t`,
    );
    expect(doc.token.clientAuth).toBe('basic');
    expect(doc.variables.ClientId.default).toBe('sb-app!b1|x');
    expect(yaml).not.toContain('HeaderSecret2');
    expect(yaml).not.toContain(basic);
  });

  test('a secret partly written out becomes one secret variable, and its written part is not kept', () => {
    const { doc, yaml, notes } = made(
      `curl -u app:x -d grant_type=password -d username=ada -d 'password=Written9<passcode>' https://h.test/t`,
    );
    expect(doc.token.password).toBe('{{Password}}');
    expect(doc.variables.Password).toMatchObject({ secret: true });
    expect(doc.variables.Password.default).toBeUndefined();
    expect(yaml).not.toContain('Written9');
    expect(notes.join('\n')).not.toContain('Written9');
  });

  test('a placeholder used twice is one variable; names tokenman keeps for itself are not taken', () => {
    const { doc } = made(
      `curl -u app:x -d grant_type=client_credentials -d 'tenant=<tenant>' -d 'token=<token>' 'https://h.test/<tenant>/token'`,
    );
    expect(doc.token.url).toBe('{{AuthUrl}}/{{Tenant}}/token');
    expect(doc.token.params).toEqual({ tenant: '{{Tenant}}', token: '{{ApiToken}}' });
    expect(Object.keys(doc.variables)).toEqual(['AuthUrl', 'Tenant', 'ClientId', 'ClientSecret', 'ApiToken']);
  });

  test('a refresh_token grant sends the token the script keeps, never the one pasted', () => {
    const { doc, yaml } = made(
      'curl -u app:x -d grant_type=refresh_token -d refresh_token=PastedRefresh3 https://h.test/t',
    );
    expect(doc.token.refreshToken).toBe('{{RefreshToken}}');
    expect(yaml).not.toContain('PastedRefresh3');
  });

  test('other parameters and headers are kept, their placeholders as variables', () => {
    const { doc } = made(
      `curl -u app:x -H 'X-Tenant: <tenant id>' -H 'Content-Type: application/x-www-form-urlencoded' -d grant_type=client_credentials -d audience=https://api.acme.test https://h.test/t`,
    );
    expect(doc.token.params).toEqual({ audience: 'https://api.acme.test' });
    expect(doc.token.headers).toEqual({ 'X-Tenant': '{{TenantId}}' });
    expect(doc.variables.TenantId.description).toBe(
      'The X-Tenant header of the token request (<tenant id> in the pasted command)',
    );
  });

  test('choices win over the command: --grant password adds the user variables', () => {
    const { doc } = made('curl -u app:x -d grant_type=client_credentials https://h.test/t', {
      grant: 'password',
    });
    expect(doc.token).toMatchObject({
      grant: 'password',
      username: '{{Username}}',
      password: '{{Password}}',
    });
    expect(doc.variables.Password.secret).toBe(true);
  });

  test('without grant_type the grant is assumed from the fields, and said so', () => {
    const { doc, notes } = made('curl -d client_id=app -d username=ada -d password=x https://h.test/t');
    expect(doc.token).toMatchObject({ grant: 'password', clientAuth: 'none' });
    expect(notes).toContain('the command sends no grant_type; assumed password (--grant to change)');
  });

  test('choices that make an invalid spec are reported against the spec, and give no spec', () => {
    const result = initSpec({
      name: 'Acme',
      file: 'specs/acme.yaml',
      fromCommand: 'curl -G -u app:x -d grant_type=client_credentials https://h.test/t',
      encoding: 'json',
    });
    expect(result.spec).toBeUndefined();
    expect(result.problems[0]).toMatchObject({ ruleId: 'get-with-body', file: 'specs/acme.yaml' });
  });

  test('the schema reference points at the installed schema from wherever the spec goes', () => {
    expect(
      made('curl -u a:b https://h.test/t', { file: 'vendors/oauth/acme.yaml' }).yaml.split('\n')[0],
    ).toBe('# yaml-language-server: $schema=../../schema/spec.schema.json');
  });
});
