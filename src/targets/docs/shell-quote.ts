// Quoting for the shell commands in the generated Markdown docs (bash and zsh). Spec strings can hold
// anything (quotes, `$`, backticks, backslashes, newlines), and a person pastes these commands into an
// interactive shell, so every literal goes through one of the few functions here and nowhere else.

/** A piece of a shell word: literal text, or a shell variable expanded in its place. */
export type ShellPart = { text: string } | { variable: string };

const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `$NAME` always braced: zsh reads `$NAME:h` and `$NAME[1]` as modifiers and subscripts. */
export function expansion(variable: string): string {
  if (!SHELL_NAME.test(variable)) throw new Error(`not a shell variable name: ${variable}`);
  return `\${${variable}}`;
}

/** A single-quoted word: nothing inside is special, so only `'` itself needs care (`'\''`). */
export function singleQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * Literal text for inside a double-quoted word. `\`, `"`, `$` and backtick are escaped. `!` cannot be:
 * an interactive bash expands history inside double quotes and keeps the backslash of `\!`, so the
 * word is closed around it and `!` goes in single quotes (`"a"'!'"b"`), which every shell reads alike.
 */
export function escapeDoubleQuoted(text: string): string {
  return text.replace(/[\\"$`]/g, '\\$&').replaceAll('!', `"'!'"`);
}

/** A double-quoted word in which the variables expand and the literal text stays as it is. */
export function doubleQuote(parts: readonly ShellPart[]): string {
  const inner = parts.map((part) =>
    'variable' in part ? expansion(part.variable) : escapeDoubleQuoted(part.text),
  );
  // A `!` at either end leaves an empty "" behind: `"a"'!'""` reads better as `"a"'!'`.
  return `"${inner.join('')}"`.replace(/^""(?=')/, '').replace(/(?<=')""$/, '');
}

/** One shell word: single quotes when nothing expands, double quotes with expansions otherwise. */
export function shellWord(parts: readonly ShellPart[]): string {
  if (parts.some((part) => 'variable' in part)) return doubleQuote(parts);
  return singleQuote(parts.map((part) => ('text' in part ? part.text : '')).join(''));
}

/**
 * Literal text for the body of a here-document whose delimiter is unquoted (so variables expand):
 * there only `\`, `$` and backtick are special. Quotes are not, and bash does not expand history in
 * a here-document body.
 */
export function escapeHeredoc(text: string): string {
  return text.replace(/[\\$`]/g, '\\$&');
}

/**
 * A here-document with an unquoted delimiter: `redirect` goes on the command line (`<<EOF`), `lines`
 * after it, the last being the delimiter. The body is followed by a newline, as every here-document
 * is. The delimiter is `EOF` unless a line of the body is exactly that.
 */
export function hereDocument(parts: readonly ShellPart[]): { redirect: string; lines: string[] } {
  const body = parts
    .map((part) => ('variable' in part ? expansion(part.variable) : escapeHeredoc(part.text)))
    .join('');
  const bodyLines = body.split('\n');
  let delimiter = 'EOF';
  for (let n = 2; bodyLines.includes(delimiter); n++) delimiter = `EOF${n}`;
  return { redirect: `<<${delimiter}`, lines: [...bodyLines, delimiter] };
}
