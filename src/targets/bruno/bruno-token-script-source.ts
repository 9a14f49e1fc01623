import { readFileSync } from 'node:fs';
import type { TokenPlan } from '../../plan/token-plan.js';
import type { TOKEN_VARIABLES } from '../../spec/reserved-variables.js';
import { scriptJson } from '../script-json.js';
import { signerFamiliesOf, signerScriptPieces } from '../signer/embed-signers.js';

// Both scripts are real JavaScript files, linted and tested as such. Resolved from the package root
// so the same paths work from src/ (tests) and build/ (the compiled CLI).
const BRUNO_SCRIPT_URL = new URL('../../../src/targets/bruno/bruno-token-script.js', import.meta.url);
const POSTMAN_SCRIPT_URL = new URL('../../../src/targets/postman/token-script.js', import.meta.url);
// The Postman script's pure helpers (no pm) run unchanged in Bruno: they are taken from there, between
// these two lines, rather than copied.
const HELPERS_START = '// ---- pure helpers (no pm)';
const HELPERS_END = '// ---- the part that talks to pm ----';

/** What one variant's token request is, for the script: the plan without what only generators need. */
export type BrunoVariantConfig = Pick<
  TokenPlan,
  | 'method'
  | 'url'
  | 'discovery'
  | 'encoding'
  | 'params'
  | 'refreshParams'
  | 'headers'
  | 'clientAuth'
  | 'response'
  | 'retryAfter'
  | 'refresh'
  | 'required'
  | 'assertion'
  | 'signer'
  | 'preSteps'
>;

/** The one JSON value the Bruno token script receives; its shape is what bruno-token-script.js reads. */
export interface BrunoScriptConfig {
  name: string;
  /** The runtime variables the script keeps its state in. */
  names: typeof TOKEN_VARIABLES;
  /** Secret variables, whose values the script blanks out of any message it reports. */
  secrets: string[];
  defaultVariant: string;
  /** Milliseconds a token or pre-step request may take. */
  timeout: number;
  variants: Record<string, BrunoVariantConfig>;
  /** Name of each variant's "Get token" request (what req.getName() returns) → variant key. */
  tokenRequests: Record<string, string>;
  /** Name of each example request → the exact status it answers with a good token, or null for any 2xx. */
  expectedStatus: Record<string, number | null>;
}

export type BrunoScriptEvent = 'before-request' | 'tests';

interface ScriptParts {
  header: string;
  body: string;
  helpers: string;
}

let cached: ScriptParts | undefined;

function scriptParts(): ScriptParts {
  if (cached) return cached;
  const bruno = readFileSync(BRUNO_SCRIPT_URL, 'utf8').replace(/\n$/, '');
  const postman = readFileSync(POSTMAN_SCRIPT_URL, 'utf8');
  // The header is the file's opening comment, up to its first blank line.
  const headerEnd = bruno.indexOf('\n\n');
  const start = postman.indexOf(HELPERS_START);
  const end = postman.indexOf(HELPERS_END);
  if (headerEnd < 0 || start < 0 || end < start) {
    throw new Error('src/targets: the Bruno script header or the Postman script helper markers are missing');
  }
  cached = {
    header: bruno.slice(0, headerEnd),
    body: bruno.slice(headerEnd + 2),
    helpers: postman.slice(start, end).replace(/\n+$/, ''),
  };
  return cached;
}

/** JSON one value a line, with each [name, template] pair on one line of its own. */
function readableJson(value: unknown): string {
  const pair = /\[\n\s+("(?:[^"\\]|\\.)*"),\n\s+("(?:[^"\\]|\\.)*")\n\s+\]/g;
  return scriptJson(value).replace(pair, '[$1, $2]');
}

/**
 * The code of one Bruno script event: the explanatory header, one statement that declares the
 * spec's data as a single JSON value (printed one value a line, so a changed URL is a one-line diff),
 * the signer bundles its variants sign with (before-request only, and none when nothing is signed),
 * the Postman script's pure helpers, then the Bruno script. JSON is valid JavaScript and
 * JSON.stringify escapes every quote, backslash and line break, so no spec string can become code.
 */
export function brunoScriptCode(event: BrunoScriptEvent, config: BrunoScriptConfig): string {
  const { header, body, helpers } = scriptParts();
  const value = readableJson({ event, config });
  const families = signerFamiliesOf(Object.values(config.variants).map((variant) => variant.signer));
  const signers = event === 'before-request' ? signerScriptPieces(families) : [];
  const parts = [header, '', `const tokenman = ${value};`, ''];
  if (signers.length) parts.push(...signers, '');
  parts.push(helpers, '', body);
  return parts.join('\n');
}
