// The one home of the command line's numbers: each flag's valid range, what it counts, and how a
// value is read. Only decimal digits are a number here: JavaScript's Number() also takes `0x50`
// (80, a port only root may bind), `1e3`, ` 5 ` and `` (0), and a timer silently turns anything
// past 2^31-1 ms into 1 ms.
import { UsageError } from './usage-error.js';

interface NumericFlag {
  min: number;
  max: number;
  /** What the number counts, finishing "--flag takes …". */
  counts: string;
}

/** Node's timers hold a signed 32-bit number of milliseconds (about 24.8 days). */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** More runs at once than this only adds memory (README's Performance section). */
const MOST_RUNS_AT_ONCE = 1000;

export const NUMERIC_FLAGS = {
  '--timeout-request': { min: 1, max: LONGEST_TIMER_MS, counts: 'milliseconds' },
  '--concurrency': { min: 1, max: MOST_RUNS_AT_ONCE, counts: 'runs at once' },
  '--per-host': { min: 1, max: MOST_RUNS_AT_ONCE, counts: 'runs at once' },
  '--port': { min: 0, max: 65_535, counts: 'a port on 127.0.0.1; 0 picks a free one' },
} as const satisfies Record<string, NumericFlag>;

export type NumericFlagName = keyof typeof NUMERIC_FLAGS;

/** The bounds in words, for the flag's help: `from 1 to 1000`. */
export function numericBounds(flag: NumericFlagName): string {
  const { min, max } = NUMERIC_FLAGS[flag];
  return `from ${min} to ${max}`;
}

/** The valid values in words: `a whole number from 1 to 2147483647 (milliseconds)`. */
export function numericRange(flag: NumericFlagName): string {
  return `a whole number ${numericBounds(flag)} (${NUMERIC_FLAGS[flag].counts})`;
}

/** The flag's value as a number, or a UsageError naming the flag and its range. */
export function numericFlag(flag: NumericFlagName, value: string): number {
  const { min, max } = NUMERIC_FLAGS[flag];
  const n = /^[0-9]{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) {
    const shown = value.length > 20 ? `${value.slice(0, 20)}…` : value;
    throw new UsageError(`${flag} takes ${numericRange(flag)}, got "${shown}"`);
  }
  return n;
}
