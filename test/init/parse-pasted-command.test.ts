import { describe, expect, test } from 'vitest';
import { parsePastedCommand } from '../../src/init/parse-pasted.js';
import type { PastedRequest } from '../../src/init/pasted-request.js';

function parsed(command: string): PastedRequest {
  const result = parsePastedCommand(command);
  if (!result.ok) throw new Error(`${result.problem.message} at ${JSON.stringify(result.problem.at)}`);
  return result.value;
}

function problem(command: string) {
  const result = parsePastedCommand(command);
  if (result.ok) throw new Error(`expected a problem, got ${JSON.stringify(result.value)}`);
  return result.problem;
}

const fields = (request: PastedRequest) =>
  request.body.kind === 'urlencoded' || request.body.kind === 'form-data'
    ? request.body.fields.map((f) => [f.name, f.value])
    : request.body;

describe('splitting the pasted text like a shell', () => {
  test('single and double quotes, escapes and shell variables', () => {
    const request = parsed(
      `curl -d 'a=it''s' -d "b=\\"q\\" \\$HOME" -d c=\${ID}-x -d "d=$SECRET" https://h.test/t`,
    );
    expect(fields(request)).toEqual([
      ['a', 'its'],
      ['b', '"q" $HOME'],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable, as tokenman keeps it
      ['c', '${ID}-x'],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable, as tokenman keeps it
      ['d', '${SECRET}'],
    ]);
  });

  test('line continuations: backslash, backslash with trailing spaces, Windows ^, and one at the end', () => {
    for (const joiner of [' \\\n', ' \\  \n', ' ^\n', ' ^ \r\n']) {
      const request = parsed(
        ['curl -X POST', '-d grant_type=client_credentials', `https://h.test/t${joiner}`].join(joiner),
      );
      expect(request.url).toBe('https://h.test/t');
      expect(fields(request)).toEqual([['grant_type', 'client_credentials']]);
    }
  });

  test('reads the first command only and says what it left', () => {
    const request = parsed('curl -d grant_type=client_credentials https://h.test/t | jq -r .access_token');
    expect(request.url).toBe('https://h.test/t');
    expect(request.notes.join('\n')).toContain('read only the first command');
  });

  test('rejoins a placeholder with spaces the documentation left unquoted, without repeating its value', () => {
    const request = parsed(
      'http --form POST https://h.test/t username=~HTTP USER FROM CSV~ password=~MY PASS~',
    );
    expect(fields(request)).toEqual([
      ['username', '~HTTP USER FROM CSV~'],
      ['password', '~MY PASS~'],
    ]);
    expect(request.notes.join('\n')).not.toContain('MY PASS');
  });

  test("$'…' strings, as browsers' Copy as cURL writes them", () => {
    const request = parsed(
      `curl -H $'content-type: application/json' --data-raw $'{"grant_type":"client_credentials","client_id":"a\\u00e9","n":"\\x41\\'"}' https://h.test/t`,
    );
    expect(request.headers).toMatchObject([{ name: 'content-type', value: 'application/json' }]);
    expect(request.body).toMatchObject({
      kind: 'json',
      value: { grant_type: 'client_credentials', client_id: 'a\u00e9', n: "A'" },
    });
  });

  test('typographic quotes, non-breaking spaces, Windows ^ escapes and PowerShell continuations', () => {
    expect(
      fields(
        parsed('curl -d \u201cgrant_type=password\u201d -d\u00a0\u2018username=bob\u2019 https://h.test/t'),
      ),
    ).toEqual([
      ['grant_type', 'password'],
      ['username', 'bob'],
    ]);
    expect(fields(parsed('curl -d grant_type=client_credentials^&client_id=abc https://h.test/t'))).toEqual([
      ['grant_type', 'client_credentials'],
      ['client_id', 'abc'],
    ]);
    expect(
      fields(parsed('curl -X POST `\n  -d grant_type=client_credentials `\n  https://h.test/t')),
    ).toEqual([['grant_type', 'client_credentials']]);
  });

  test('a line that starts with an option continues a command whose continuation was lost, and no line is repeated', () => {
    const request = parsed(
      'curl -X POST https://h.test/t\n  -u myid:TopSecret7\n  -d grant_type=client_credentials\necho done',
    );
    expect(request.basicUser?.value).toBe('myid:TopSecret7');
    expect(fields(request)).toEqual([['grant_type', 'client_credentials']]);
    expect(request.notes).toEqual([
      'line 1 ends without a line continuation; read line 2 as part of the command',
      'line 2 ends without a line continuation; read line 3 as part of the command',
      'read only the first command; ignored what follows from line 4',
    ]);
  });

  test('an unclosed quote is reported where it opens', () => {
    expect(problem(`curl -X POST \\\n  -d 'grant_type=password https://h.test/t`)).toMatchObject({
      message: expect.stringContaining('single quote'),
      at: { line: 2, col: 6 },
    });
  });
});

describe('curl', () => {
  test('short options cluster and take their value from the rest of the word', () => {
    const request = parsed('curl -sSLk -XPOST -uid:secret -dgrant_type=client_credentials https://h.test/t');
    expect(request).toMatchObject({ method: 'POST', insecure: true, basicUser: { value: 'id:secret' } });
    expect(fields(request)).toEqual([['grant_type', 'client_credentials']]);
  });

  test('the values of ignored options are not repeated in notes', () => {
    const request = parsed(
      'curl --cert client.pem:CertPass8 -x http://u:ProxyPass9@proxy -d grant_type=password https://h.test/t',
    );
    expect(request.notes).toEqual([
      'ignored -x: it does not change the token request',
      "--cert not written: certificate and key files are each user's own; configure them in Postman (Settings → Certificates, for the token host) and in newman run (--ssl-client-cert-list)",
    ]);
    expect(request.notes.join('\n')).not.toMatch(/CertPass8|client\.pem|ProxyPass9/);
  });

  test('-d pairs are form-decoded and --data-urlencode values taken as written', () => {
    const request = parsed(`curl -d 'scope=a%20b+c&x=1' --data-urlencode 'y=p&q=r s' https://h.test/t`);
    expect(fields(request)).toEqual([
      ['scope', 'a b c'],
      ['x', '1'],
      ['y', 'p&q=r s'],
    ]);
  });

  test('a JSON body, by its Content-Type or its look, and --json', () => {
    for (const command of [
      `curl -H 'Content-Type: application/json' -d '{"grant_type":"password","n":1}' https://h.test/t`,
      `curl -d '{"grant_type":"password","n":1}' https://h.test/t`,
      `curl --json '{"grant_type":"password","n":1}' https://h.test/t`,
    ]) {
      expect(parsed(command).body).toMatchObject({ kind: 'json', value: { grant_type: 'password', n: 1 } });
    }
  });

  test('-F makes form-data, -G a GET with the data in the query', () => {
    expect(parsed('curl -F grant_type=password -F scope=openid https://h.test/t').body).toMatchObject({
      kind: 'form-data',
    });
    expect(parsed('curl -G -d grant_type=client_credentials https://h.test/t').dataInQuery).toBe(true);
  });

  test.each([
    ['curl --frobnicate https://h.test/t', 'curl option --frobnicate', { line: 1, col: 6 }],
    ['curl -d @body.txt https://h.test/t', 'read a file', { line: 1, col: 9 }],
    ['curl --data-binary @body.txt https://h.test/t', 'read a file', { line: 1, col: 20 }],
    ['curl --data-urlencode client_assertion@a.jwt https://h.test/t', 'read a file', { line: 1, col: 23 }],
    ['curl -F secret=@key.pem https://h.test/t', "file's content", { line: 1, col: 9 }],
    [
      `curl -H 'Content-Type: application/json' -d 'grant_type=password' https://h.test/t`,
      'not valid JSON',
      { line: 1, col: 45 },
    ],
    ['curl -d grant_type=password https://a.test/t https://b.test/t', 'second URL', { line: 1, col: 46 }],
    ['curl -d grant_type=password', 'no URL', { line: 1, col: 1 }],
    ['wget https://h.test/t', 'expected a curl or HTTPie command', { line: 1, col: 1 }],
  ])('refuses %s, pointing at the word', (command, message, at) => {
    const found = problem(command);
    expect(found.message).toContain(message);
    expect(found.at).toEqual(at);
  });
});

describe('HTTPie', () => {
  test('JSON by default, with := raw values, == query items and Header:value', () => {
    const request = parsed(
      `https h.test/t grant_type=password n:=2 audience==api Accept:application/json -a id:secret --verify=no`,
    );
    expect(request).toMatchObject({
      method: 'POST',
      url: 'https://h.test/t?audience=api',
      headers: [{ name: 'Accept', value: 'application/json' }],
      basicUser: { value: 'id:secret' },
      insecure: true,
      body: { kind: 'json', value: { grant_type: 'password', n: 2 } },
    });
  });

  test('--form is urlencoded and --multipart form-data', () => {
    expect(parsed('http --form POST https://h.test/t a=b').body).toMatchObject({ kind: 'urlencoded' });
    expect(parsed('http --multipart https://h.test/t a=b').body).toMatchObject({ kind: 'form-data' });
  });

  test('a file item is refused', () => {
    expect(problem('http POST https://h.test/t key@secret.pem').message).toContain("file's content");
  });
});
