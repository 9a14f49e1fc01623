// The quoting of the generated docs, proven by bash itself: every nasty string goes through each
// quoting function and bash must hand back exactly the original bytes.
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import {
  doubleQuote,
  escapeDoubleQuoted,
  escapeHeredoc,
  expansion,
  hereDocument,
  type ShellPart,
  shellWord,
  singleQuote,
} from '../../../src/targets/docs/shell-quote.js';

const NASTY = [
  '',
  'plain',
  "it's",
  'say "hi"',
  '$HOME',
  `\${HOME}`,
  '`id`',
  '$(id)',
  'back\\slash',
  'trailing\\',
  '\\',
  '\\\\',
  "\\'",
  '\\"',
  '\\$HOME',
  'new\nline',
  'line\n',
  'bang!',
  '!!',
  'a!b',
  '!$',
  'tab\there',
  'über ✓',
  "'",
  '"',
  "''",
  '*?[a]',
  '~',
  '#hash',
  'EOF',
  '  spaces  ',
  ';|&<>()',
  '{{NotAVariable}}',
  '%s %d',
  'EOF\nEOF',
];

/** Runs a script in bash with no rc files; stdin feeds an interactive bash when asked. */
function bash(script: string, options: { env?: Record<string, string>; interactive?: boolean } = {}) {
  const args = options.interactive ? ['--norc', '--noprofile', '-i'] : ['-c', script];
  const result = spawnSync('bash', args, {
    input: options.interactive ? `${script}\n` : '',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent-home', ...options.env },
    encoding: 'utf8',
  });
  return result;
}

/** What bash makes of each word: printf '%s\0' separates them exactly. */
function evaluate(words: string[], options: Parameters<typeof bash>[1] = {}): string[] {
  const result = bash(words.map((w) => `printf '%s\\0' ${w}`).join('\n'), options);
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.split('\0').slice(0, -1);
}

describe('escaping rules', () => {
  test.each([
    ["it's", "'it'\\''s'"],
    ['', "''"],
    ['a"b$c`d\\e', "'a\"b$c`d\\e'"],
  ])('singleQuote(%j) is %s', (text, quoted) => {
    expect(singleQuote(text)).toBe(quoted);
  });

  test.each([
    ['a"b', 'a\\"b'],
    ['$x', '\\$x'],
    ['`id`', '\\`id\\`'],
    ['a\\b', 'a\\\\b'],
    ['hi!', `hi"'!'"`],
    ["it's", "it's"],
  ])('escapeDoubleQuoted(%j) is %s', (text, escaped) => {
    expect(escapeDoubleQuoted(text)).toBe(escaped);
  });

  test.each([
    ['a"b\'c', 'a"b\'c'],
    ['$x `id` \\', '\\$x \\`id\\` \\\\'],
    ['bang!', 'bang!'],
  ])('escapeHeredoc(%j) is %s', (text, escaped) => {
    expect(escapeHeredoc(text)).toBe(escaped);
  });

  test('expansions are braced and only of shell names', () => {
    expect(expansion('CLIENT_ID')).toBe(`\${CLIENT_ID}`);
    expect(() => expansion('CLIENT-ID')).toThrow(/not a shell variable name/);
    expect(() => expansion('$(id)')).toThrow(/not a shell variable name/);
  });

  test('a word without variables is single-quoted, one with variables double-quoted', () => {
    expect(shellWord([{ text: 'grant_type=password' }])).toBe("'grant_type=password'");
    expect(shellWord([{ text: 'client_id=' }, { variable: 'CLIENT_ID' }])).toBe(`"client_id=\${CLIENT_ID}"`);
  });

  test('a `!` at either end of a double-quoted word leaves no empty "" behind', () => {
    expect(doubleQuote([{ variable: 'A' }, { text: '!' }])).toBe(`"\${A}"'!'`);
    expect(doubleQuote([{ text: '!' }, { variable: 'A' }])).toBe(`'!'"\${A}"`);
    expect(doubleQuote([{ text: '!' }])).toBe(`'!'`);
    expect(doubleQuote([{ text: 'a\\"' }])).toBe('"a\\\\\\""');
  });
});

describe('bash reads back exactly what was quoted', () => {
  test('singleQuote', () => {
    expect(evaluate(NASTY.map(singleQuote))).toEqual(NASTY);
  });

  test('doubleQuote of literal text', () => {
    expect(evaluate(NASTY.map((text) => doubleQuote([{ text }])))).toEqual(NASTY);
  });

  test('shellWord of literal text', () => {
    expect(evaluate(NASTY.map((text) => shellWord([{ text }])))).toEqual(NASTY);
  });

  test('doubleQuote around variables whose values are nasty too, expanded once and never re-read', () => {
    const value = 'v $HOME `id` $(id) "q" \'s\' \\ ! *';
    const words = NASTY.map((text) =>
      doubleQuote([{ text }, { variable: 'V' }, { text }, { variable: 'V' }]),
    );
    expect(evaluate(words, { env: { V: value } })).toEqual(NASTY.map((t) => `${t}${value}${t}${value}`));
  });

  test('an interactive bash, which expands history in double quotes, reads the same', () => {
    // `!` followed by text is an event designator interactively; the quoting keeps it literal. A tab
    // is left out: fed through readline it completes, as typed (a terminal pastes with bracketed paste).
    const texts = NASTY.filter((text) => !text.includes('\t'));
    const words = texts.map((text) => doubleQuote([{ text }]));
    expect(evaluate(words, { interactive: true })).toEqual(texts);
  });

  test('hereDocument body, variables expanded, delimiter never cut short', () => {
    const value = 'v $HOME `id` "q" \\';
    for (const text of NASTY) {
      const parts: ShellPart[] = [{ text }, { variable: 'V' }, { text }];
      const doc = hereDocument(parts);
      const script = [`cat ${doc.redirect}`, ...doc.lines].join('\n');
      const result = bash(script, { env: { V: value } });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toBe(`${text}${value}${text}\n`);
    }
  });

  test('a body line that is exactly EOF gets another delimiter', () => {
    expect(hereDocument([{ text: 'a\nEOF\nb' }]).redirect).toBe('<<EOF2');
    expect(hereDocument([{ text: 'a\nEOF\nEOF2' }]).redirect).toBe('<<EOF3');
  });
});
