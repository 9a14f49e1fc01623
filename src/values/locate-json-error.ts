/**
 * Where JSON text first goes wrong, as line and column (1-based), or undefined when it is valid.
 * JSON.parse's own message quotes the text around the mistake, and the text may be a secret (a
 * one-line file of credentials passed by mistake), so this finds the place without quoting it.
 */
export function locateJsonError(text: string): { line: number; col: number } | undefined {
  let i = 0;
  const fail = (): never => {
    throw new JsonSyntaxAt(i);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    i++; // the opening quote
    while (i < text.length && text[i] !== '"') {
      const ch = text.charCodeAt(i);
      if (ch < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (text[i] !== '"') fail();
    i++;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match) fail();
    i += (match as RegExpExecArray)[0].length;
  };
  const value = (depth: number): void => {
    // Deeper than a stack allows: said to be wrong there (JSON.parse has refused the text anyway).
    if (depth > 2_000) fail();
    space();
    const ch = text[i];
    if (ch === '{') {
      i++;
      space();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail();
        string();
        space();
        if (text[i] !== ':') fail();
        i++;
        value(depth + 1);
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else fail();
      }
    }
    if (ch === '[') {
      i++;
      space();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else fail();
      }
    }
    if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else number();
  };
  try {
    value(0);
    space();
    if (i < text.length) fail();
    return undefined;
  } catch (error) {
    if (!(error instanceof JsonSyntaxAt)) throw error;
    return lineAndColumn(text, Math.min(error.offset, text.length));
  }
}

/**
 * Where JSON text first opens an object or a list deeper than `maxDepth`, as line and column, or
 * undefined. A scan, not a parse: it says where a file nested thousands deep (which would overflow
 * the stack of every walk over it) goes too deep, whatever else is wrong with it.
 */
export function locateDeepNesting(text: string, maxDepth: number): { line: number; col: number } | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      // To the closing quote, over escaped characters.
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (ch === '{' || ch === '[') {
      if (++depth > maxDepth) return lineAndColumn(text, i);
    } else if (ch === '}' || ch === ']') depth--;
  }
  return undefined;
}

function lineAndColumn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split(/\r\n|\n|\r/);
  return { line: before.length, col: (before[before.length - 1] ?? '').length + 1 };
}

class JsonSyntaxAt {
  constructor(readonly offset: number) {}
}
