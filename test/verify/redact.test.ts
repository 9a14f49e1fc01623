// The redaction rules on their own: every form an echo of a secret takes, the short-secret policy,
// and credentials recognised by their field name whatever their shape.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { credentialsInBody } from '../../src/verify/collect-credentials.js';
import { createRedactor, REDACTED } from '../../src/verify/redact.js';

const SECRET = `p@ss w/rd+&"x'<z>é\\-7f3a`;

describe('a secret of 4 characters or more is redacted in every encoding', () => {
  const xml = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  test.each([
    ['as is', SECRET],
    ['encodeURIComponent', encodeURIComponent(SECRET)],
    ['lower-case percent hex', encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase())],
    ['a form (+ for space)', new URLSearchParams({ s: SECRET }).toString().slice(2)],
    ['JSON-escaped', JSON.stringify(SECRET).slice(1, -1)],
    ['JSON-escaped with \\u escapes', JSON.stringify(SECRET).slice(1, -1).replace('\\"', '\\u0022')],
    ['XML-escaped', xml(SECRET)],
    ['JSON-escaped, then XML-escaped (junit quoting a body)', xml(JSON.stringify(SECRET).slice(1, -1))],
  ])('%s', (_, echo) => {
    expect(createRedactor([SECRET]).text(`before ${echo} after`)).toBe(`before ${REDACTED} after`);
  });
});

describe('a secret shorter than 4 characters is redacted only where it is a whole value', () => {
  const redactor = createRedactor(['Q9z']);
  test.each([
    ['a JSON string', '{"secret":"Q9z","n":1}', `{"secret":"${REDACTED}","n":1}`],
    ['a JSON string inside a string', '"{\\"x\\":\\"Q9z\\"}"', `"{\\"x\\":\\"${REDACTED}\\"}"`],
    ['a form parameter', 'a=1&x=Q9z&b=2', `a=1&x=${REDACTED}&b=2`],
    ['the last query parameter', '/token?x=Q9z', `/token?x=${REDACTED}`],
    ['a header value', 'X-Key: Q9z\nAccept: */*', `X-Key: ${REDACTED}\nAccept: */*`],
    ['id:secret', 'client:Q9z', `client:${REDACTED}`],
  ])('%s', (_, text, expected) => {
    expect(redactor.text(text)).toBe(expected);
  });
  test('inside a word or a longer value it stays: redacting it there would hide nothing', () => {
    expect(redactor.text('Q9zebra x=Q9z1 "aQ9z"')).toBe('Q9zebra x=Q9z1 "aQ9z"');
  });
  test('in a report, any string equal to it', () => {
    expect(redactor.json({ values: [{ key: 'Anything', value: 'Q9z' }], list: ['Q9z', 'Q9zz'] })).toEqual({
      values: [{ key: 'Anything', value: REDACTED }],
      list: [REDACTED, 'Q9zz'],
    });
  });
});

describe('credentials by field name, whatever their value looks like', () => {
  const redactor = createRedactor([]);
  test.each([
    [
      'an opaque token behind a guard prefix',
      `)]}'\n{"access_token":"opaque-1","token_type":"bearer"}`,
      `)]}'\n{"access_token":"${REDACTED}","token_type":"bearer"}`,
    ],
    [
      'a quote cut short',
      'HTTP 200: {"refresh_token":"opaque-2abc',
      `HTTP 200: {"refresh_token":"${REDACTED}`,
    ],
    [
      'a junit message',
      '{&quot;id_token&quot;:&quot;opaque-3&quot;}',
      `{&quot;id_token&quot;:&quot;${REDACTED}&quot;}`,
    ],
    [
      'a form body',
      'grant_type=refresh_token&refresh_token=opaque-4&client_secret=s',
      `grant_type=refresh_token&refresh_token=${REDACTED}&client_secret=${REDACTED}`,
    ],
    ['a template stays', '{"client_secret":"{{ClientSecret}}"}', '{"client_secret":"{{ClientSecret}}"}'],
    ['templates stay', 'password={{Password}}{{Passcode}}&x=1', 'password={{Password}}{{Passcode}}&x=1'],
  ])('%s', (_, text, expected) => {
    expect(redactor.text(text)).toBe(expected);
  });

  test('Postman pairs: credential keys, secret-typed values and cookies', () => {
    expect(
      redactor.json([
        { key: 'Token', value: 'opaque-5', type: 'any' },
        { key: 'Anything', value: 'opaque-6', type: 'secret' },
        { key: 'Set-Cookie', value: 'sid=opaque-7; Path=/; HttpOnly' },
        { key: 'Cookie', value: 'sid=opaque-7; theme=dark' },
        { key: 'password', value: '{{Password}}' },
        { key: 'token_type', value: 'bearer' },
      ]),
    ).toEqual([
      { key: 'Token', value: REDACTED, type: 'any' },
      { key: 'Anything', value: REDACTED, type: 'secret' },
      { key: 'Set-Cookie', value: `sid=${REDACTED}; Path=/; HttpOnly` },
      { key: 'Cookie', value: `sid=${REDACTED}; theme=${REDACTED}` },
      { key: 'password', value: '{{Password}}' },
      { key: 'token_type', value: 'bearer' },
    ]);
  });
});

test.each([
  ['plain JSON', '{"access_token":"a-1","nested":{"refresh_token":"r-1"},"token_type":"bearer"}'],
  ['a guard prefix', `)]}'\n{"access_token":"a-1","nested":{"refresh_token":"r-1"}}`],
  ['a trailing HTML comment', '{"access_token":"a-1","nested":{"refresh_token":"r-1"}}<!-- edge -->'],
  ['not JSON at all', '<p>"access_token": "a-1", "refresh_token" : "r-1"</p>'],
])('the credentials of a response body: %s', (_, body) => {
  expect(credentialsInBody(body).sort()).toEqual(['a-1', 'r-1']);
});

test("what only looks like a credential stays: Newman's `assertion` (a test's name), tokenman's variable names", () => {
  const report = {
    assertions: [{ assertion: 'token endpoint answers 2xx' }],
    config: '{"names":{"token":"Token","refresh":"RefreshToken"},"tokenPath":"access_token"}',
    headers: [{ key: 'token_type', value: 'bearer' }],
  };
  expect(createRedactor([]).json(report)).toEqual(report);
});

// a few thousand punctuation characters among the secrets of a run made the old
// pattern-per-secret redactor throw "Invalid regular expression … Stack overflow", and the stack
// trace printed the pattern: every secret. Secrets are now looked for as plain strings in the
// text's decoded views; nothing a caller gives makes the redactor throw or return what it hides.
describe('secrets of every length and alphabet', () => {
  const ALPHABETS: Array<[string, string]> = [
    ['letters and digits', 'aZ09'],
    ['punctuation', `!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`],
    ['regular expression syntax', '.*+?^{}$()|[]\\'],
    ['spaces and line breaks', ' \t\r\n'],
    ['non-ASCII', 'éß€😀\u2028\u0000'],
    ['one repeated character', '%'],
  ];
  const LENGTHS = [4, 5, 17, 100, 1_000, 11_200, 100_000];
  const secretOf = (alphabet: string, length: number) => {
    const chars = [...alphabet];
    return Array.from({ length }, (_, i) => chars[(i * 7 + 3) % chars.length]).join('');
  };
  const forms = (s: string) => [
    s,
    encodeURIComponent(s),
    new URLSearchParams({ s }).toString().slice(2),
    JSON.stringify(s).slice(1, -1),
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
  ];
  test.each(ALPHABETS)('%s, 4 to 100,000 characters long, in every form', (_, alphabet) => {
    for (const length of LENGTHS) {
      const secret = `${secretOf(alphabet, length - 2)}Zq`;
      const redactor = createRedactor([secret, 'ab', `LEAK-${secret}`]);
      for (const form of forms(secret)) {
        const out = redactor.text(`before ${form} after`);
        expect(out, `${length}`).toBe(`before ${REDACTED} after`);
      }
    }
  });

  test('the secrets of the issue: a client secret of 11,200 punctuation characters, a 100 KB certificate chain', () => {
    const secret = `LEAKME-${'p$s-w0rd!'.repeat(1400)}`;
    const chain = `-----BEGIN CERTIFICATE-----\n${'MIIB/+=='.repeat(12_800)}\n-----END CERTIFICATE-----`;
    const redactor = createRedactor([secret, chain]);
    const report = JSON.stringify({ body: `client_secret=${encodeURIComponent(secret)}`, chain });
    const out = redactor.text(report);
    expect(out).not.toContain('LEAKME');
    expect(out).not.toContain('MIIB/+==');
    expect(out).not.toContain('w0rd');
  });

  test('a 10 MB token answer is searched, not thrown on', () => {
    const token = 'a'.repeat(10 * 1024 * 1024);
    const body = `{"access_token":"${token}","token_type":"bearer"}`;
    const out = createRedactor([]).text(body);
    expect(out).toBe(`{"access_token":"${REDACTED}","token_type":"bearer"}`);
    expect(credentialsInBody(body)).toEqual([token]);
  });

  test('a vendor answer nested 5,000 deep is redacted, not a stack overflow', () => {
    const nested = JSON.parse(`${'['.repeat(5000)}"Zq-secret-1"${']'.repeat(5000)}`);
    const out = JSON.stringify(createRedactor(['Zq-secret-1']).json({ data: nested }));
    expect(out).not.toContain('Zq-secret-1');
    expect(credentialsInBody(`${'{"a":'.repeat(5000)}{"access_token":"t-1"}${'}'.repeat(5000)}`)).toEqual([
      't-1',
    ]);
  });
});

describe('no input makes the redactor throw or give back what it hides', () => {
  // Secrets and texts of any characters (lone surrogate halves included), texts built around the
  // secrets in their encoded forms, so the property is tried where it matters.
  const anyText = fc.string({ unit: 'binary', maxLength: 200 });
  const secret = fc.string({ unit: 'binary', minLength: 4, maxLength: 60 });
  test('text(): never throws; a secret of 4 or more given as is never survives', () => {
    fc.assert(
      fc.property(fc.array(secret, { minLength: 1, maxLength: 4 }), anyText, anyText, (secrets, a, b) => {
        const target = secrets[0] as string;
        const out = createRedactor(secrets).text(`${a}${target}${b}`);
        expect(typeof out).toBe('string');
        expect(out.includes(target)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
  test('text() and json(): never throw, whatever the secrets and the input', () => {
    fc.assert(
      fc.property(fc.array(anyText, { maxLength: 5 }), anyText, fc.jsonValue(), (secrets, text, value) => {
        const redactor = createRedactor(secrets);
        expect(typeof redactor.text(text)).toBe('string');
        redactor.json(value);
        redactor.json({ values: [{ key: text, value: text, type: 'secret' }] });
      }),
      { numRuns: 2000 },
    );
  });
  test('each encoded form of a secret is gone', () => {
    const printable = fc.string({ unit: 'grapheme', minLength: 4, maxLength: 40 });
    fc.assert(
      fc.property(printable, (s) => {
        const redactor = createRedactor([s]);
        for (const form of [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)]) {
          expect(redactor.text(`<${form}>`).includes(form)).toBe(false);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
