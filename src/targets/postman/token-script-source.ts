import { readFileSync } from 'node:fs';
import type { TokenScriptConfig } from './script-config.js';

// The script is a real JavaScript file, linted and tested as such. Resolved from the package root so
// the same path works from src/ (tests) and build/ (the compiled CLI).
const SCRIPT_URL = new URL('../../../src/targets/postman/token-script.js', import.meta.url);

interface ScriptParts {
  /** The sandbox marker, which must stay first, and the comment that explains the script. */
  header: string[];
  /** The code, one element per top-level block (a function with its comment, the final call). */
  blocks: string[];
}

let cached: ScriptParts | undefined;

/**
 * The file cut into its header (up to the first empty line) and its top-level blocks: a block starts
 * at an unindented line after an empty one, and keeps that empty line so the joined script reads as
 * the file does.
 */
function scriptParts(): ScriptParts {
  if (cached) return cached;
  const lines = readFileSync(SCRIPT_URL, 'utf8').replace(/\n$/, '').split('\n');
  const end = lines.indexOf('');
  if (end < 0) throw new Error(`${SCRIPT_URL.pathname} has no empty line after its header`);
  const blocks: string[][] = [];
  for (let i = end + 1; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const startsBlock = line !== '' && !/^\s/.test(line) && lines[i - 1] === '';
    const current = blocks[blocks.length - 1];
    if (!startsBlock && current) current.push(line);
    else {
      // The empty line before a block goes with it, not with the block before.
      if (current?.[current.length - 1] === '') current.pop();
      blocks.push(startsBlock ? ['', line] : [line]);
    }
  }
  cached = { header: lines.slice(0, end), blocks: blocks.map((block) => block.join('\n')) };
  return cached;
}

export type ScriptEvent = 'prerequest' | 'test';

/**
 * The exec lines of one script: the file's header, then the spec's data as a single JSON value, then
 * the code. JSON is valid JavaScript, and JSON.stringify escapes every quote, backslash and line
 * break inside a string, so no spec string can become code; it is indented one key a line, so a
 * changed spec value is a changed line in dist/.
 *
 * The code goes as one exec element per top-level block, each holding its line breaks: Postman shows
 * the joined script either way, but Newman's runtime and sandbox handle every exec element of every
 * script before every request, which made a script of one element per line cost a request a user
 * adds a tenth more than a script of one statement (see the Performance section of the README).
 */
export function tokenScriptExec(event: ScriptEvent, config: TokenScriptConfig): string[] {
  const { header, blocks } = scriptParts();
  const data = `var tokenman = ${JSON.stringify({ event, config }, null, 2)};`;
  return [...header, ...data.split('\n'), ...blocks];
}
