import { readFileSync } from 'node:fs';
import type { SignerFamily } from '../../plan/token-plan.js';
import { signerFamilies, type TokenScriptConfig } from './script-config.js';

// The script is a real JavaScript file, linted and tested as such. Resolved from the package root so
// the same path works from src/ (tests) and build/ (the compiled CLI).
const SCRIPT_URL = new URL('../../../src/targets/postman/token-script.js', import.meta.url);
// The prebuilt JWT signers (src/targets/signer/README.md), one file per algorithm family.
const SIGNER_DIR = new URL('../../../src/targets/signer/', import.meta.url);

let cached: string[] | undefined;
const cachedSigners = new Map<SignerFamily, string[]>();

function scriptLines(): string[] {
  cached ??= readFileSync(SCRIPT_URL, 'utf8').replace(/\n$/, '').split('\n');
  return cached;
}

function signerLines(family: SignerFamily): string[] {
  let lines = cachedSigners.get(family);
  if (!lines) {
    lines = readFileSync(new URL(`${family}.bundle.js`, SIGNER_DIR), 'utf8')
      .replace(/\n$/, '')
      .split('\n');
    cachedSigners.set(family, lines);
  }
  return lines;
}

/**
 * The signer bundles a pre-request script needs, each followed by a line that keeps its one
 * function (every bundle defines tokenmanSignJwt) under its family in tokenmanSigners, which the
 * token script reads. Only the families the spec signs with: a spec that signs nothing carries none.
 */
function signerExec(config: TokenScriptConfig): string[] {
  const families = signerFamilies(config);
  if (families.length === 0) return [];
  const lines = ['var tokenmanSigners = {};'];
  for (const family of families)
    lines.push(...signerLines(family), `tokenmanSigners.${family} = tokenmanSignJwt;`);
  return lines;
}

export type ScriptEvent = 'prerequest' | 'test';

/**
 * The exec lines of one script event: one line that declares the spec's data as a single JSON value,
 * the signer bundles the pre-request script needs, then the script file unchanged. JSON is valid
 * JavaScript, and JSON.stringify escapes every quote, backslash and line break, so no spec string
 * can become code. Only the pre-request script signs, so the test script carries no bundle.
 */
export function tokenScriptExec(event: ScriptEvent, config: TokenScriptConfig): string[] {
  const signers = event === 'prerequest' ? signerExec(config) : [];
  return [`var tokenman = ${JSON.stringify({ event, config })};`, ...signers, ...scriptLines()];
}
