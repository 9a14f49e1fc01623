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

/**
 * Lines packed into exec elements of a few lines each (Postman joins the elements with line
 * breaks, so the script reads the same). Not one element a line: Newman's runtime handles every
 * element of a script before every request, and some 740 of them cost a request about 1 ms.
 */
function packLines(lines: string[]): string[] {
  const elements: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const line of lines) {
    const added = JSON.stringify(line).length - 2 + (current.length ? 2 : 0);
    if (current.length && size + added > EXEC_ELEMENT_CHARS) {
      elements.push(current.join('\n'));
      current = [];
      size = 2;
    }
    current.push(line);
    size += JSON.stringify(line).length - 2 + (current.length > 1 ? 2 : 0);
  }
  if (current.length) elements.push(current.join('\n'));
  return elements;
}

/** The exec lines of a Postman script, sandbox marker first. */
export function postmanScriptExec(plan: Omit<ScriptPlan, 'prelude'>): string[] {
  const blocks = assembleScript({ ...plan, prelude: [SANDBOX_MARKER] });
  const [marker = SANDBOX_MARKER, ...rest] = blocks;
  return [marker, ...packLines(rest.join('\n\n').split('\n'))];
}
