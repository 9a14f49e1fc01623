import { assembleScript, type ScriptPlan } from '../../sandbox/assemble-script.js';

// A sandbox script as Postman keeps it: the exec lines of a script event.

/**
 * The first 15 characters of every script tokenman writes for Postman (the sandbox takes either
 * quote): Postman's sandbox then skips its legacy setup, which puts dozens of old globals in place
 * before every run of every script, most of what running a short script costs. The scripts read
 * only pm and require('btoa'/'atob'), which stay.
 */
const SANDBOX_MARKER = "'use sandbox2';";

/** The longest exec element, as JSON text: no line of a collection file comes near 1,000 characters. */
const EXEC_ELEMENT_CHARS = 960;

/** A character JSON escapes within a line: a quote, a backslash, a control character, a surrogate. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it finds
const ESCAPED = /["\\\x00-\x09\x0b-\x1f\ud800-\udfff]/g;

/**
 * The lines of a text packed into exec elements of a few lines each (Postman joins the elements
 * with line breaks, so the script reads the same). Not one element a line: Newman's runtime handles
 * every element of a script before every request, and some 740 of them cost a request about 1 ms.
 * Each element is a slice of the text (its lines are next to one another there), and a line's JSON
 * length is its own length unless it holds a character JSON escapes: a build packs the sandbox's
 * thousands of lines for every spec, and splitting, joining and stringifying each line cost more
 * than the rest of the collection.
 */
function packLines(text: string): string[] {
  const elements: string[] = [];
  // The element being filled: from `start` to the end of its last line, `size` as JSON text.
  let start = 0;
  let end = -1;
  let size = 2;
  // Where the next escaped character is, found once and kept until the lines pass it.
  let escaped = -1;
  for (let from = 0; from <= text.length; ) {
    const newline = text.indexOf('\n', from);
    const to = newline < 0 ? text.length : newline;
    if (escaped < from) {
      ESCAPED.lastIndex = from;
      escaped = ESCAPED.exec(text)?.index ?? text.length;
    }
    const length = escaped < to ? JSON.stringify(text.slice(from, to)).length - 2 : to - from;
    if (end >= 0 && size + length + 2 > EXEC_ELEMENT_CHARS) {
      elements.push(text.slice(start, end));
      end = -1;
      size = 2;
    }
    if (end < 0) start = from;
    else size += 2;
    size += length;
    end = to;
    from = to + 1;
  }
  if (end >= 0) elements.push(text.slice(start, end));
  return elements;
}

/** The exec lines of a Postman script, sandbox marker first. */
export function postmanScriptExec(plan: Omit<ScriptPlan, 'prelude'>): string[] {
  const blocks = assembleScript({ ...plan, prelude: [SANDBOX_MARKER] });
  const [marker = SANDBOX_MARKER, ...rest] = blocks;
  return [marker, ...packLines(rest.join('\n\n'))];
}
