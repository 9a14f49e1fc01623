import { parseCurl } from './parse-curl.js';
import { parseHttpie } from './parse-httpie.js';
import { fail, type PasteResult } from './pasted-request.js';
import { shellWords } from './shell-words.js';

const CURL = /(^|[/\\])curl(\.exe)?$/i;
const HTTPIE = /(^|[/\\])(https?|xhs?)$/i;

/** Reads a pasted curl or HTTPie command into the request it sends. Nothing is run. */
export function parsePastedCommand(text: string): PasteResult {
  const split = shellWords(text);
  if (!split.ok) return fail(split.message, split.at, split.hint);
  const { words, notes } = split.value;
  // A copied prompt (`$ curl …`) is not part of the command.
  if (words[0]?.text === '$' || words[0]?.text === '>') words.shift();
  const first = words[0];
  if (!first) return fail('the command is empty', { line: 1, col: 1 }, 'paste a curl or HTTPie command');
  const parsed = CURL.test(first.text)
    ? parseCurl(words)
    : HTTPIE.test(first.text)
      ? parseHttpie(words)
      : fail(
          'expected a curl or HTTPie command',
          first.at,
          'paste the command as the documentation shows it, starting with curl (or http)',
        );
  if (parsed.ok) parsed.value.notes.unshift(...notes);
  return parsed;
}
