import type { Position, Problem } from './problem.js';

// Lines longer than this are cut around the column, so a minified or binary line cannot flood the
// terminal.
const MAX_FRAME_WIDTH = 100;

/**
 * `file:line:col: severity: message`, then the hint, then (given the source and a position) the
 * line before, the line itself and a caret under the column, like a compiler. No colours: callers
 * that want them can add them, and golden files stay plain.
 */
export function formatProblem(problem: Problem, source?: string): string {
  const where = problem.position
    ? `${problem.file}:${problem.position.line}:${problem.position.col}`
    : problem.file;
  const lines = [`${where}: ${problem.severity}: ${problem.message}`];
  if (problem.hint) lines.push(`  hint: ${problem.hint}`);
  if (source !== undefined && problem.position) {
    const { text, at } = maskSecrets(source, problem.masks ?? []);
    lines.push(...codeFrame(text, at(problem.position), problem.end && at(problem.end)));
  }
  return lines.join('\n');
}

/**
 * The source with every span that holds a written-out secret shown as `***`, so a code frame never
 * carries the secret into a terminal or a CI log, and where each position moved to.
 */
function maskSecrets(
  source: string,
  masks: ReadonlyArray<{ start: Position; end: Position }>,
): { text: string; at: (position: Position) => Position } {
  if (masks.length === 0) return { text: source, at: (position) => position };
  const lines = source.split(/\r\n|\n|\r/);
  // Per line, the 0-based [from, to) spans to hide; a span over several lines hides each to its end.
  const spans = new Map<number, Array<[number, number]>>();
  for (const { start, end } of masks) {
    for (let line = start.line; line <= end.line; line++) {
      const length = lines[line - 1]?.length ?? 0;
      const from = line === start.line ? start.col - 1 : 0;
      const to = line === end.line ? end.col - 1 : length;
      if (to > from) spans.set(line, [...(spans.get(line) ?? []), [from, Math.min(to, length)]]);
    }
  }
  const moves = new Map<number, (col: number) => number>();
  for (const [line, list] of spans) {
    list.sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const span of list) {
      const last = merged[merged.length - 1];
      if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
      else merged.push([span[0], span[1]]);
    }
    const text = lines[line - 1] ?? '';
    let out = '';
    let cursor = 0;
    for (const [from, to] of merged) {
      out += `${text.slice(cursor, from)}***`;
      cursor = to;
    }
    lines[line - 1] = out + text.slice(cursor);
    // A column after a hidden span moves by the difference; one inside it lands on the ***.
    moves.set(line, (col) => {
      const c = col - 1;
      let shift = 0;
      for (const [from, to] of merged) {
        if (c >= to) shift += to - from - 3;
        else if (c > from) return from - shift + 3 + 1;
        else break;
      }
      return c - shift + 1;
    });
  }
  return {
    text: lines.join('\n'),
    at: (position) => ({
      line: position.line,
      col: moves.get(position.line)?.(position.col) ?? position.col,
    }),
  };
}

/** Problems for `--format json`: a stable key order so the output can be diffed and parsed. */
export function formatProblemsJson(problems: Problem[]): string {
  const out = problems.map((p) => ({
    file: p.file,
    line: p.position?.line ?? null,
    col: p.position?.col ?? null,
    endLine: p.end?.line ?? null,
    endCol: p.end?.col ?? null,
    severity: p.severity,
    ruleId: p.ruleId,
    message: p.message,
    hint: p.hint ?? null,
  }));
  return `${JSON.stringify(
    {
      errors: problems.filter((p) => p.severity === 'error').length,
      warnings: problems.filter((p) => p.severity === 'warning').length,
      problems: out,
    },
    null,
    2,
  )}\n`;
}

function codeFrame(source: string, start: Position, end: Position | undefined): string[] {
  const sourceLines = source.split(/\r\n|\n|\r/);
  const line = sourceLines[start.line - 1];
  if (line === undefined) return [];
  const gutterWidth = String(start.line).length;
  const gutter = (n: number | undefined): string =>
    `${' '.repeat(2)}${String(n ?? '').padStart(gutterWidth)} | `;

  // Carets span the node when it ends on the same line; otherwise one caret marks where it starts.
  const startIndex = Math.min(start.col - 1, line.length);
  const endIndex =
    end && end.line === start.line && end.col > start.col
      ? Math.min(end.col - 1, line.length)
      : startIndex + 1;
  const { text, offset } = window(line, startIndex);
  // Copy tabs from the line so the caret lines up however wide the terminal draws a tab.
  const pad = text.slice(0, startIndex - offset).replace(/[^\t]/g, ' ');
  const carets = '^'.repeat(Math.max(1, Math.min(endIndex, offset + text.length) - startIndex));

  const frame: string[] = [];
  const previous = sourceLines[start.line - 2];
  if (previous !== undefined && previous.trim() !== '') {
    frame.push(`${gutter(start.line - 1)}${visible(window(previous, startIndex).text)}`.trimEnd());
  }
  frame.push(`${gutter(start.line)}${visible(text)}`.trimEnd());
  frame.push(`${gutter(undefined)}${pad}${carets}`);
  return frame;
}

/** The part of a long line around `index`, and where that part starts. */
function window(line: string, index: number): { text: string; offset: number } {
  if (line.length <= MAX_FRAME_WIDTH) return { text: line, offset: 0 };
  const offset = Math.max(0, Math.min(index - MAX_FRAME_WIDTH / 2, line.length - MAX_FRAME_WIDTH));
  return { text: line.slice(offset, offset + MAX_FRAME_WIDTH), offset };
}

/** Control characters would move the cursor or ring the bell; show each as one `?` to keep columns. */
function visible(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}
