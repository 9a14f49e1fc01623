import { readFileSync } from 'node:fs';
import type { TokenScriptConfig } from './script-config.js';

// The script is a real JavaScript file, linted and tested as such. Resolved from the package root so
// the same path works from src/ (tests) and build/ (the compiled CLI).
const SCRIPT_URL = new URL('../../../src/targets/postman/token-script.js', import.meta.url);

let cached: string[] | undefined;

function scriptLines(): string[] {
  cached ??= readFileSync(SCRIPT_URL, 'utf8').replace(/\n$/, '').split('\n');
  return cached;
}

export type ScriptEvent = 'prerequest' | 'test';

/**
 * The exec lines of one script event: one line that declares the spec's data as a single JSON value,
 * then the script file unchanged. JSON is valid JavaScript, and JSON.stringify escapes every quote,
 * backslash and line break, so no spec string can become code.
 */
export function tokenScriptExec(event: ScriptEvent, config: TokenScriptConfig): string[] {
  return [`var tokenman = ${JSON.stringify({ event, config })};`, ...scriptLines()];
}
