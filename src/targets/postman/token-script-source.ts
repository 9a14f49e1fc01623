import { readFileSync } from 'node:fs';
import { scriptJson } from '../script-json.js';
import { signerFamiliesOf, signerScriptPieces } from '../signer/embed-signers.js';
import type { BeforeRequestConfig, ExampleAnswerConfig, TokenAnswerConfig } from './script-config.js';

// The script is a real JavaScript file, linted and tested as such. Resolved from the package root so
// the same path works from src/ (tests) and build/ (the compiled CLI).
const SCRIPT_URL = new URL('../../../src/targets/postman/token-script.js', import.meta.url);

/**
 * The signer bundles a pre-request script needs (src/targets/signer/README.md), one exec element
 * each, with the lines that keep them in tokenmanSigners, which the token script reads.
 */
function signerExec(config: BeforeRequestConfig): string[] {
  return signerScriptPieces(signerFamiliesOf(Object.values(config.variants).map((v) => v.signer)));
}

/** A top-level block of the file: a function with its comment, or a comment on its own. */
interface Block {
  text: string;
  /** The function it declares; undefined for a comment. */
  declares: string | undefined;
  /** The file's functions its code (not its comments) calls. */
  calls: string[];
}

interface ScriptParts {
  /** The sandbox marker, which must stay first, and the comment that explains the script. */
  header: string[];
  blocks: Block[];
}

let cached: ScriptParts | undefined;

const FUNCTION_NAME = /\btokenman[A-Z]\w*/g;

function describeBlock(lines: string[]): Block {
  const code = lines.filter((line) => !/^\s*(\/\/|\/\*\*|\*)/.test(line)).map((line) => line.split('//')[0]);
  const declares = /^function (tokenman[A-Z]\w*)\(/m.exec(lines.join('\n'))?.[1];
  const calls = [...new Set(code.join('\n').match(FUNCTION_NAME) ?? [])].filter((name) => name !== declares);
  return { text: lines.join('\n'), declares, calls };
}

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
  cached = { header: lines.slice(0, end), blocks: blocks.map(describeBlock) };
  return cached;
}

/**
 * The blocks a script calling `entry` needs, in the file's order: its functions, and the comments
 * that stand alone, but not the file's section headings (`// ---- ...`), which may head nothing here.
 */
function blocksFor(entry: string): string[] {
  const { blocks } = scriptParts();
  const byName = new Map(blocks.flatMap((block) => (block.declares ? [[block.declares, block]] : [])));
  const needed = new Set<string>();
  const visit = (name: string) => {
    if (needed.has(name)) return;
    const block = byName.get(name);
    if (!block) throw new Error(`${SCRIPT_URL.pathname} has no function ${name}`);
    needed.add(name);
    block.calls.filter((call) => byName.has(call)).forEach(visit);
  };
  visit(entry);
  const kept = blocks.filter((block) =>
    block.declares ? needed.has(block.declares) : !block.text.startsWith('\n// ----'),
  );
  return kept.map((block) => block.text);
}

/** One script tokenman writes: the function it runs and the data it gets. */
export type ScriptCall =
  | { entry: 'tokenmanBeforeRequest'; config: BeforeRequestConfig }
  | { entry: 'tokenmanCheckTokenAnswer'; config: TokenAnswerConfig }
  | { entry: 'tokenmanCheckExampleAnswer'; config: ExampleAnswerConfig };

/**
 * The exec lines of one script: the file's header, the spec's data as a single JSON value, the
 * functions of the file the entry point needs, and its call. JSON is valid JavaScript, and
 * JSON.stringify escapes every quote, backslash and line break inside a string, so no spec string
 * can become code; it is indented one key a line, so a changed spec value is a changed line in dist/.
 *
 * The code goes as one exec element per top-level block, each holding its line breaks: Postman shows
 * the joined script either way, but Newman's runtime and sandbox handle every exec element of a
 * script before every request, and one element a line (about 740) cost a request a user adds about
 * 1 ms of CPU (see the Performance section of the README). Only the functions a script calls go in,
 * so the test script of an example request is a few lines, not the whole file.
 */
export function tokenScriptExec({ entry, config }: ScriptCall): string[] {
  const { header } = scriptParts();
  const data = `var tokenman = ${scriptJson(config)};`;
  // Without pm (a test loading the script in plain Node) the script only defines its functions.
  const call = `\nif (typeof pm !== 'undefined') ${entry}(pm, tokenman);`;
  // Only the pre-request script signs: the signers go after the data, before its functions (the
  // sandbox marker must stay first).
  const signers = entry === 'tokenmanBeforeRequest' ? signerExec(config as BeforeRequestConfig) : [];
  return [...header, ...data.split('\n'), ...signers, ...blocksFor(entry), call];
}
