import type { Position } from '../spec/problem.js';

// A pasted command is split the way a POSIX shell would split it, because that is what the vendor's
// documentation was written for, with the tolerance a paste needs: Windows `^` continuations, a
// backslash with trailing spaces before the line break, and placeholders with spaces that the
// documentation never quoted (`username=~HTTP USER FROM CSV~`).

export interface ShellWord {
  text: string;
  /** Where the word starts in the pasted text. */
  at: Position;
}

export interface ShellWords {
  words: ShellWord[];
  /** What was read past and why (a pipe into jq, a placeholder rejoined). */
  notes: string[];
}

export type ShellWordsResult =
  | { ok: true; value: ShellWords }
  | { ok: false; message: string; hint?: string; at: Position };

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Splits `text` into words. Shell variables (`$AUTH_URL`, `${AUTH_URL}`) are kept as `${NAME}` so
 * later steps can turn them into spec variables; nothing is expanded or run.
 */
export function shellWords(pasted: string): ShellWordsResult {
  const text = plainQuotesAndSpaces(pasted);
  const positionAt = positions(text);
  const words: ShellWord[] = [];
  const notes: string[] = [];
  if (text !== pasted) notes.push('read typographic quotes and non-breaking spaces as plain ones');
  let current: { text: string; start: number } | undefined;
  const append = (chars: string, start: number) => {
    current ??= { text: '', start };
    current.text += chars;
  };
  const endWord = () => {
    if (current) words.push({ text: current.text, at: positionAt(current.start) });
    current = undefined;
  };

  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    const continuation = lineContinuation(text, i);
    if ((char === '\\' || char === '^' || char === '`') && continuation) {
      i = continuation;
      continue;
    }
    if (char === ' ' || char === '\t') {
      endWord();
      i += 1;
      continue;
    }
    if (char === '\n' || char === '\r' || char === ';' || char === '|' || text.startsWith('&&', i)) {
      endWord();
      const rest = text.slice(i).replace(/^[\s;|&]+/, '');
      const restLine = positionAt(text.length - rest.length).line;
      // A line that starts with an option continues the command even when the continuation was
      // lost in copying; anything else after a line break or an operator is another command.
      // Nothing of it is repeated: it may hold a secret.
      if (words.length > 0 && rest.startsWith('-') && (char === '\n' || char === '\r')) {
        notes.push(
          `line ${positionAt(i).line} ends without a line continuation; read line ${restLine} as part of the command`,
        );
      } else if (words.length > 0 && rest !== '') {
        notes.push(`read only the first command; ignored what follows from line ${restLine}`);
        break;
      }
      i = text.length - rest.length;
      continue;
    }
    if (char === '#' && !current) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
      continue;
    }
    if (char === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) return unterminated("'", positionAt(i));
      append(text.slice(i + 1, end), i);
      i = end + 1;
      continue;
    }
    if (char === '"') {
      const start = i;
      append('', i);
      i += 1;
      let closed = false;
      while (i < text.length) {
        const inner = text[i] as string;
        if (inner === '"') {
          closed = true;
          i += 1;
          break;
        }
        if (inner === '\\') {
          const next = text[i + 1];
          if (next === '\n') {
            i += 2;
            continue;
          }
          if (next === '"' || next === '\\' || next === '$' || next === '`') {
            append(next, i);
            i += 2;
            continue;
          }
        }
        if (inner === '$') {
          const variable = shellVariable(text, i);
          if (variable) {
            append(`\${${variable.name}}`, i);
            i = variable.end;
            continue;
          }
        }
        append(inner, i);
        i += 1;
      }
      if (!closed) return unterminated('"', positionAt(start));
      continue;
    }
    if (char === '\\') {
      const next = text[i + 1];
      if (next !== undefined) append(next, i);
      i += 2;
      continue;
    }
    // Windows cmd escapes the next character with ^ (`^&`).
    if (char === '^' && text[i + 1] !== undefined && !/\s/.test(text[i + 1] as string)) {
      append(text[i + 1] as string, i);
      i += 2;
      continue;
    }
    // $'…', as browsers' "Copy as cURL" writes bodies and headers.
    if (char === '$' && text[i + 1] === "'") {
      const quoted = ansiCQuoted(text, i + 2);
      if (!quoted) return unterminated("'", positionAt(i));
      append(quoted.value, i);
      i = quoted.end;
      continue;
    }
    if (char === '$') {
      const variable = shellVariable(text, i);
      if (variable) {
        append(`\${${variable.name}}`, i);
        i = variable.end;
        continue;
      }
    }
    append(char, i);
    i += 1;
  }
  endWord();
  return { ok: true, value: { words: rejoinPlaceholders(words, notes), notes } };
}

/** What word processors and web pages make of quotes and spaces, as a shell would have them. */
function plainQuotesAndSpaces(text: string): string {
  return text
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .replace(/[\u201c\u201d\u201e]/g, '"')
    .replace(/[\u2018\u2019]/g, "'");
}

const ANSI_C_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\u0007',
  b: '\b',
  e: '\u001b',
  E: '\u001b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** The value of a `$'…'` string from after its opening quote, and where it ends. */
function ansiCQuoted(text: string, start: number): { value: string; end: number } | undefined {
  let value = '';
  let i = start;
  while (i < text.length) {
    const char = text[i] as string;
    if (char === "'") return { value, end: i + 1 };
    if (char !== '\\') {
      value += char;
      i += 1;
      continue;
    }
    const next = text[i + 1] ?? '';
    const numeric =
      /^x([0-9a-fA-F]{1,2})/.exec(text.slice(i + 1, i + 4)) ??
      /^u([0-9a-fA-F]{1,4})/.exec(text.slice(i + 1, i + 6)) ??
      /^U([0-9a-fA-F]{1,8})/.exec(text.slice(i + 1, i + 10));
    const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4));
    if (numeric) {
      value += String.fromCodePoint(Number.parseInt(numeric[1] as string, 16));
      i += 1 + numeric[0].length;
    } else if (octal) {
      value += String.fromCharCode(Number.parseInt(octal[0], 8));
      i += 1 + octal[0].length;
    } else {
      value += ANSI_C_ESCAPES[next] ?? `\\${next}`;
      i += 2;
    }
  }
  return undefined;
}

/**
 * Where the next line starts when a `\`, a Windows `^` or a PowerShell backtick (trailing spaces
 * allowed) ends this one; one at the very end of the paste ends the command.
 */
function lineContinuation(text: string, index: number): number | undefined {
  const continuation = /[\\^`][ \t]*(?:\r\n|\n|\r|$)/y;
  continuation.lastIndex = index;
  return continuation.exec(text) ? continuation.lastIndex : undefined;
}

function shellVariable(text: string, index: number): { name: string; end: number } | undefined {
  if (text[index + 1] === '{') {
    const close = text.indexOf('}', index + 2);
    const name = close === -1 ? '' : text.slice(index + 2, close);
    return VARIABLE_NAME.test(name) && VARIABLE_NAME.exec(name)?.[0] === name
      ? { name, end: close + 1 }
      : undefined;
  }
  const name = VARIABLE_NAME.exec(text.slice(index + 1))?.[0];
  return name ? { name, end: index + 1 + name.length } : undefined;
}

const OPENERS: Record<string, string> = { '<': '>', '~': '~', '{': '}' };

/**
 * A documentation placeholder with spaces, pasted unquoted, arrives as several words
 * (`username=~HTTP`, `USER`, `FROM`, `CSV~`); a word that opens one and does not close it is
 * joined with the words that follow until one closes it.
 */
function rejoinPlaceholders(words: ShellWord[], notes: string[]): ShellWord[] {
  const result: ShellWord[] = [];
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] as ShellWord;
    const closer = unclosedPlaceholder(word.text);
    if (closer === undefined) {
      result.push(word);
      continue;
    }
    let end = index + 1;
    while (end < words.length && !(words[end] as ShellWord).text.includes(closer)) end += 1;
    if (end >= words.length) {
      result.push(word);
      continue;
    }
    const joined = words.slice(index, end + 1).map((w) => w.text);
    // The value may be a secret someone pasted; only the field's name is repeated.
    const field = /^([A-Za-z0-9_.-]+)[=:]/.exec(word.text)?.[1];
    notes.push(
      `joined an unquoted placeholder with spaces${field ? ` (${field})` : ''} on line ${word.at.line} into one value`,
    );
    result.push({ text: joined.join(' '), at: word.at });
    index = end;
  }
  return result;
}

function unclosedPlaceholder(text: string): string | undefined {
  for (const [opener, closer] of Object.entries(OPENERS)) {
    // Only where a value starts, so `~/file` or `a<b` are left alone.
    const match = new RegExp(`(?:^|[=:])\\${opener}([^${closer}]*)$`).exec(text);
    if (match) return closer;
  }
  return undefined;
}

function unterminated(quote: string, at: Position): ShellWordsResult {
  return {
    ok: false,
    message: `the ${quote === "'" ? 'single' : 'double'} quote opened here is never closed`,
    hint: `close it with ${quote}, or paste the whole command`,
    at,
  };
}

/** 1-based line and column of each offset. */
function positions(text: string): (offset: number) => Position {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === '\n') lineStarts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, col: offset - (lineStarts[low] as number) + 1 };
  };
}
