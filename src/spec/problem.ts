// Problems are values: validation never throws for a user's mistake. A problem carries the place it
// points at so the CLI can print `file:line:col` and a code frame; the library prints nothing.

export type Severity = 'error' | 'warning';

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  col: number;
}

export interface Problem {
  /** A short stable id, e.g. `unknown-key`, `yaml-syntax`, `undefined-variable`. */
  ruleId: string;
  severity: Severity;
  /** What is wrong, as one sentence. */
  message: string;
  /** What would be valid, when there is something to suggest. */
  hint?: string;
  file: string;
  /** Where in the file; absent only when the whole file is at fault (unreadable, too large). */
  position?: Position;
  /** Where the problem's node ends (for code frames). */
  end?: Position;
  /**
   * Spans of the file that hold a secret written out (on every problem of that file, since any
   * frame may show their lines): a code frame shows *** in their place, never the secret.
   */
  masks?: Array<{ start: Position; end: Position }>;
}

/** How many of the problems stop the command: errors, not warnings. */
export function countErrors(problems: readonly Problem[]): number {
  return problems.filter((p) => p.severity === 'error').length;
}
