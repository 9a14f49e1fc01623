import type { NewmanRunSummary } from 'newman';

// What a Postman CLI run came to: from the Newman-shaped json report a v2.1 run writes, or else
// from its cli report, the only one a Collection v3 run may write (its summary table and its list
// of failures, printed as Newman prints them).

export interface PostmanCliOutcome {
  /** Each failure in words, `request › test: message`. */
  failures: string[];
  assertions: { total: number; failed: number };
  requests: { total: number; failed: number };
}

/** The executed and failed counts of one row of the summary table (`| assertions | 5 | 0 |`). */
function tableRow(output: string, row: string): { total: number; failed: number } {
  const match = new RegExp(`^\\|\\s*${row}\\s*\\|\\s*(\\d+)\\s*\\|\\s*(\\d+)\\s*\\|`, 'm').exec(output);
  return { total: Number(match?.[1] ?? 0), failed: Number(match?.[2] ?? 0) };
}

/**
 * The numbered failures under the table: `1.  Error    <test>`, then the message's lines, `at …`
 * and `inside "<request>"`, each entry in words.
 */
function failureList(output: string): string[] {
  const start = output.search(/^\s*#\s+failure\s+detail\s*$/m);
  if (start < 0) return [];
  const entries = output
    .slice(start)
    .split(/^\s*\d+\.\s{2,}/m)
    .slice(1);
  return entries.map((entry) => {
    const lines = entry
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const [first = '', ...rest] = lines;
    // The first line is the kind of failure, then the test's name where there is one.
    const test = first.replace(/^\S+\s*/, '') || first;
    const inside =
      /^inside "(.*)"$/.exec(rest.find((line) => line.startsWith('inside "')) ?? '')?.[1] ?? 'collection';
    const message = rest.filter((line) => !/^at |^inside "/.test(line)).join(' ');
    return `${inside} › ${test}${message ? `: ${message}` : ''}`;
  });
}

/** The outcome of a run, from its json report when it wrote one, else from what it printed. */
export function readPostmanCliOutput(output: string, summary?: NewmanRunSummary): PostmanCliOutcome {
  if (summary) {
    const failures = summary.run.failures.map((failure) => {
      const item = (failure.source as { name?: string } | undefined)?.name ?? 'collection';
      return `${item} › ${failure.error.test ?? failure.error.name}: ${failure.error.message}`;
    });
    return {
      failures,
      assertions: {
        total: summary.run.stats.assertions.total ?? 0,
        failed: summary.run.stats.assertions.failed ?? 0,
      },
      requests: {
        total: summary.run.stats.requests.total ?? 0,
        failed: summary.run.stats.requests.failed ?? 0,
      },
    };
  }
  return {
    failures: failureList(output),
    assertions: tableRow(output, 'assertions'),
    requests: tableRow(output, 'requests'),
  };
}
