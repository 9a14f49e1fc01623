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
    lines.push(...codeFrame(source, problem.position, problem.end));
  }
  return lines.join('\n');
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
