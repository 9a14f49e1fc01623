import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { signerScriptPieces } from './signer/embed-signers.js';
import type { SignerFamily } from './types.js';

// A generated script is the sandbox modules its entry imports, joined into one text a client runs
// as a script (Postman and Bruno take no modules): each module once, after the modules it imports,
// its `import` lines and `export` keywords taken out, its JSDoc type tags too (the compiler's, not
// a reader's), each doc comment cut to its first sentence, and only the declarations its entry
// reaches kept. So a reader of a collection follows the same imports as a reader of src/sandbox/,
// and nothing in a spec can change what a script does beyond the one JSON value it gets.

// Resolved from the package root so the same path works from src/ (tests) and build/ (the CLI).
const SANDBOX_DIR = new URL('../../src/sandbox/', import.meta.url);

interface SandboxModule {
  /** Relative to src/sandbox/, `/`-separated: `postman/before-request.js`. */
  path: string;
  /** The modules it imports, relative to src/sandbox/. */
  imports: string[];
  /** Its opening comment. */
  header: string;
  /** Its top-level declarations as a script: no imports, no exports, no type tags. */
  blocks: Block[];
}

/** A top-level declaration with the comment above it. */
interface Block {
  text: string;
  /** The name it declares. */
  declares: string;
  /** The names of other declarations its code (not its comments) uses. */
  uses: string[];
}

/** Every top-level name in src/sandbox/ starts so: a script's functions can be told apart by it. */
const SANDBOX_NAME = /\b(?:tokenman[A-Z]\w*|TOKENMAN_[A-Z_]+)\b/g;
const DECLARATION = /^(?:async )?function (tokenman[A-Z]\w*)\(|^const (TOKENMAN_[A-Z_]+|tokenman[A-Z]\w*) =/m;

const IMPORT = /^import \{[^}]*\} from '(\.{1,2}\/[^']+\.js)';\n/gm;
const EXPORT = /^export (?=(?:async )?function |const )/gm;
/** A JSDoc tag line for the compiler, with its indented continuation lines. */
const TYPE_TAG = /^[ \t]*\* @(?:param|returns|template|typedef|type)\b.*\n(?:[ \t]*\*[ \t]{2,}.*\n)*/gm;
/** A comment left with nothing in it once its tags are gone, or holding only a type. */
const EMPTY_DOC = /^[ \t]*\/\*\*\n(?:[ \t]*\*\n)*[ \t]*\*\/\n/gm;
const TYPE_ONLY_LINE = /^[ \t]*\/\*\* @(?:typedef|type)\b.*\*\/\n/gm;
const DOC_COMMENT = /^([ \t]*)\/\*\*\n([\s\S]*?)\n[ \t]*\*\/\n/gm;

/**
 * A doc comment cut to its first sentence: a script carries what each function is, and its banner
 * names the module in src/sandbox/ whose comments say the rest (why, and what was measured).
 */
function briefDoc(_whole: string, indent: string, body: string): string {
  const text = body
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .join(' ')
    .trim();
  const end = /(?<!\be\.g|\bi\.e)\.(?=\s|$)/.exec(text);
  return `${indent}/** ${end ? text.slice(0, end.index + 1) : text} */\n`;
}

const modules = new Map<string, SandboxModule>();

function readModule(path: string): SandboxModule {
  const known = modules.get(path);
  if (known) return known;
  const text = readFileSync(new URL(path, SANDBOX_DIR), 'utf8').replace(/^\/\/ @ts-check\n/, '');
  const imports = [...text.matchAll(IMPORT)].map((match) => posix.join(posix.dirname(path), match[1] ?? ''));
  const code = text
    .replace(IMPORT, '')
    .replace(EXPORT, '')
    .replace(TYPE_ONLY_LINE, '')
    .replace(TYPE_TAG, '')
    .replace(EMPTY_DOC, '')
    .replace(DOC_COMMENT, briefDoc)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (/^\s*(import|export)\b/m.test(code)) {
    throw new Error(`src/sandbox/${path}: an import or export the script assembler cannot take out`);
  }
  // Blocks are separated by an empty line before an unindented line; the first is the header.
  const [header = '', ...rest] = code.split(/\n\n(?=\S)/);
  // A comment standing alone described a type for the compiler, which a script has no use for.
  const declaring = rest.filter((block) => !/^(\/\*\*[\s\S]*\*\/|(\/\/.*\n?)+)$/.test(block));
  const blocks = declaring.map((block): Block => {
    const declares = DECLARATION.exec(block);
    if (!declares) throw new Error(`src/sandbox/${path}: a top-level block that declares no tokenman name`);
    const name = declares[1] ?? declares[2] ?? '';
    const codeLines = block
      .split('\n')
      .filter((line) => !/^\s*(\/\/|\/\*\*|\*)/.test(line))
      .map((line) => line.split(' //')[0])
      .join('\n');
    const uses = [...new Set(codeLines.match(SANDBOX_NAME) ?? [])].filter((used) => used !== name);
    return { text: block, declares: name, uses };
  });
  const module = { path, imports, header, blocks };
  modules.set(path, module);
  return module;
}

/** The modules an entry module needs, each after the ones it imports, the entry last. */
function sandboxModules(entry: string): SandboxModule[] {
  const ordered: SandboxModule[] = [];
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const module = readModule(path);
    module.imports.forEach(visit);
    ordered.push(module);
  };
  visit(entry);
  return ordered;
}

// The code of an entry and the names it calls is the same for every spec of a build: worked out
// once, not again for each of its thousand specs.
const codeOf = new Map<string, readonly string[]>();

/**
 * The code of the modules an entry needs, as text a module each, with only the declarations the
 * called names reach: a check carries none of the token flow's functions it imports no use of.
 */
export function sandboxCode(entry: string, called: string[]): readonly string[] {
  const key = `${entry}\n${called.join('\n')}`;
  let code = codeOf.get(key);
  if (code === undefined) {
    code = selectCode(entry, called);
    codeOf.set(key, code);
  }
  return code;
}

function selectCode(entry: string, called: string[]): string[] {
  const modules = sandboxModules(entry);
  const byName = new Map(modules.flatMap((module) => module.blocks.map((block) => [block.declares, block])));
  const needed = new Set<string>();
  const visit = (name: string) => {
    const block = byName.get(name);
    if (!block || needed.has(name)) return;
    needed.add(name);
    block.uses.forEach(visit);
  };
  called.forEach(visit);
  return modules.flatMap((module) => {
    const kept = module.blocks.filter((block) => needed.has(block.declares));
    if (!kept.length) return [];
    const text = [module.header, ...kept.map((block) => block.text)].join('\n\n');
    return [`// ---- src/sandbox/${module.path} ----\n${text}`];
  });
}

/** JSON one value a line, with each [name, template] pair on a line of its own. */
export function scriptDataJson(value: unknown): string {
  const pair = /\[\n\s+("(?:[^"\\]|\\.)*"),\n\s+("(?:[^"\\]|\\.)*")\n\s+\]/g;
  // U+2028 and U+2029 are line breaks to an ES2018 parser inside a string (Bruno's comment stripper
  // is one): escaped, a spec's text can never end a line of the script.
  return JSON.stringify(value, null, 2)
    .replace(pair, '[$1, $2]')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export interface ScriptPlan {
  /** The entry module, relative to src/sandbox/. */
  entry: string;
  /** Lines before everything else (Postman's sandbox marker, which must come first). */
  prelude?: string[];
  /** What the script is, for a reader of the collection. */
  header: string[];
  /** The one JSON value the script gets, as `tokenman`. */
  data: unknown;
  /** The signer bundles it signs with (before-request scripts only). */
  signers?: SignerFamily[];
  /** The statement that runs the entry; `tokenmanSigners` holds the signers when there are any. */
  call: (signers: string) => string;
}

/**
 * A script as blocks of text, in order: the prelude, the header, the data, the signer bundles, each
 * module, the call. A client joins them its own way (Postman's exec lines, Bruno's code text).
 */
export function assembleScript(plan: ScriptPlan): string[] {
  const signers = signerScriptPieces(plan.signers ?? []);
  const header = plan.header.map((line) => `// ${line}`.trimEnd()).join('\n');
  const call = plan.call(signers.length ? 'tokenmanSigners' : '{}');
  return [
    ...(plan.prelude ?? []),
    header,
    `var tokenman = ${scriptDataJson(plan.data)};`,
    ...signers,
    ...sandboxCode(plan.entry, call.match(SANDBOX_NAME) ?? []),
    call,
  ];
}
