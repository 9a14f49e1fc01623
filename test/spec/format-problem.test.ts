import { describe, expect, it } from 'vitest';
import { formatProblem, formatProblemsJson } from '../../src/spec/format-problem.js';
import type { Problem } from '../../src/spec/problem.js';

const source = 'name: X\ntoken:\n  skew: 60s\n';
const problem: Problem = {
  ruleId: 'wrong-type',
  severity: 'error',
  message: 'token.skew must be an integer, got string "60s"',
  hint: 'write a whole number without quotes or units, as in 60',
  file: 'specs/x.yaml',
  position: { line: 3, col: 9 },
  end: { line: 3, col: 12 },
};

describe('formatProblem', () => {
  it('prints location, message, hint and a code frame with carets under the node', () => {
    expect(formatProblem(problem, source)).toBe(
      [
        'specs/x.yaml:3:9: error: token.skew must be an integer, got string "60s"',
        '  hint: write a whole number without quotes or units, as in 60',
        '  2 | token:',
        '  3 |   skew: 60s',
        '    |         ^^^',
      ].join('\n'),
    );
  });

  it('leaves out the frame without a source, and the location without a position', () => {
    const { position: _p, end: _e, hint: _h, ...whole } = problem;
    expect(formatProblem(problem)).toBe(
      'specs/x.yaml:3:9: error: token.skew must be an integer, got string "60s"\n' +
        '  hint: write a whole number without quotes or units, as in 60',
    );
    expect(formatProblem({ ...whole, severity: 'warning' }, source)).toBe(
      'specs/x.yaml: warning: token.skew must be an integer, got string "60s"',
    );
  });

  it('marks one column when the node spans lines, and keeps control characters out', () => {
    const text = 'a: 1\nb: "x\u001b[31my"\n';
    const frame = formatProblem(
      { ...problem, position: { line: 2, col: 4 }, end: { line: 3, col: 1 } },
      text,
    );
    expect(frame).not.toContain('\u001b');
    expect(frame.split('\n').slice(-2)).toEqual(['  2 | b: "x?[31my"', '    |    ^']);
  });

  it('shows *** for every masked span of the lines it shows, and keeps the caret under its node', () => {
    const text = 'token:\n  url: "https://a:Pa55@h/t?key=K3y&x={{Y}}"\n  skew: 60s\n';
    const masks = [
      { start: { line: 2, col: 19 }, end: { line: 2, col: 23 } },
      { start: { line: 2, col: 32 }, end: { line: 2, col: 35 } },
    ];
    const onSecretLine = formatProblem(
      { ...problem, position: { line: 2, col: 38 }, end: { line: 2, col: 43 }, masks },
      text,
    );
    expect(onSecretLine.split('\n').slice(-2)).toEqual([
      '  2 |   url: "https://a:***@h/t?key=***&x={{Y}}"',
      '    |                                     ^^^^^',
    ]);
    const nextLine = formatProblem({ ...problem, masks }, text);
    expect(nextLine).toContain('  2 |   url: "https://a:***@h/t?key=***&x={{Y}}"');
    expect(nextLine).not.toMatch(/Pa55|K3y/);
  });

  it('cuts a very long line around the column', () => {
    const text = `key: ${'x'.repeat(500)}!${'y'.repeat(500)}`;
    const lines = formatProblem(
      { ...problem, position: { line: 1, col: 506 }, end: { line: 1, col: 507 } },
      text,
    )
      .split('\n')
      .slice(-2);
    expect(lines[0]?.length).toBeLessThan(120);
    expect(lines[0]?.indexOf('!')).toBe(lines[1]?.indexOf('^'));
  });
});

describe('formatProblemsJson', () => {
  it('gives counts and every problem with a fixed key order', () => {
    const json = formatProblemsJson([
      problem,
      { ...problem, severity: 'warning', position: undefined } as never,
    ]);
    expect(JSON.parse(json)).toEqual({
      errors: 1,
      warnings: 1,
      problems: [
        {
          file: 'specs/x.yaml',
          line: 3,
          col: 9,
          endLine: 3,
          endCol: 12,
          severity: 'error',
          ruleId: 'wrong-type',
          message: 'token.skew must be an integer, got string "60s"',
          hint: 'write a whole number without quotes or units, as in 60',
        },
        expect.objectContaining({ severity: 'warning', line: null, col: null }),
      ],
    });
    expect(json.endsWith('}\n')).toBe(true);
  });
});
