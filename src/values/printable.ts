// Text tokenman did not write (the field names of a credentials file, a vendor's words) reaches a
// terminal or a CI log only escaped: an ANSI escape would recolour or rewrite what the user reads,
// a line break would forge a line of output, a bidirectional override would reorder it.

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The text with each character that is not printed as itself written as `\uXXXX`. */
export function escapeUnprintable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Names longer than this are cut: a name is said to be found, not read whole. */
const LONGEST_NAME = 64;

/**
 * A name as a message shows it: as it is when every character prints as itself, otherwise in
 * quotes with those characters escaped (`"\u001b[31mred"`, `"new\u000aline"`), and cut when long.
 */
export function printableName(name: string): string {
  const cut = name.length > LONGEST_NAME ? `${name.slice(0, LONGEST_NAME)}…` : name;
  const escaped = escapeUnprintable(cut);
  return escaped === cut && cut !== '' && !cut.includes('"') ? cut : `"${escaped.replace(/"/g, '\\"')}"`;
}
