import { type Plan, REQUEST_CHECK_ROLE, type RequestPlan } from '../../plan/plan-spec.js';
import { assembleScript } from '../../sandbox/assemble-script.js';

// The three scripts a Postman collection carries, the same in Collection v2.1 (exec lines) and in
// Collection v3 (code text): the token script before each request, the check of a "Get token"
// answer, the check of an example request.

/**
 * The first 15 characters of every script tokenman writes for Postman (the sandbox takes either
 * quote): Postman's sandbox then skips its legacy setup, which puts dozens of old globals in place
 * before every run of every script, most of what running a short script costs. The scripts read
 * only pm and require('btoa'/'atob'), which stay.
 */
const SANDBOX_MARKER = "'use sandbox2';";

/** A script as its marker and the text after it. */
export interface PostmanScript {
  marker: string;
  body: string;
}

/** What every script says about itself, above its data. */
function header(plan: Plan, role: string): string[] {
  return [
    `tokenman ${role}, built from ${plan.source} (rebuild rather than edit): the spec's data, the`,
    'src/sandbox/ modules it runs, then the call of its entry point. It never logs a secret or a token.',
  ];
}

function script(blocks: string[]): PostmanScript {
  const [marker = SANDBOX_MARKER, ...rest] = blocks;
  return { marker, body: rest.join('\n\n') };
}

/** The collection's pre-request script: the token flow. */
export function beforeRequestScript(plan: Plan): PostmanScript {
  const signers = [...new Set(plan.variants.flatMap((variant) => variant.token.signer ?? []))].sort();
  return script(
    assembleScript({
      entry: 'postman/before-request.js',
      prelude: [SANDBOX_MARKER],
      header: header(plan, "token script, the collection's pre-request script"),
      data: plan.script,
      signers,
      call: (names) => `if (typeof pm !== 'undefined') tokenmanPostmanBeforeRequest(pm, tokenman, ${names});`,
    }),
  );
}

/** The test script of the "Get token" requests (or of their folder). */
export function tokenAnswerScript(plan: Plan): PostmanScript {
  return script(
    assembleScript({
      entry: 'postman/token-answer-test.js',
      prelude: [SANDBOX_MARKER],
      header: header(plan, 'check of a "Get token" answer'),
      data: plan.tokenAnswers,
      call: () => "if (typeof pm !== 'undefined') tokenmanPostmanTokenAnswerTest(pm, tokenman);",
    }),
  );
}

/** The test script of an example request: its status. */
export function exampleAnswerScript(plan: Plan, request: RequestPlan): PostmanScript {
  return script(
    assembleScript({
      entry: 'postman/example-answer-test.js',
      prelude: [SANDBOX_MARKER],
      header: header(plan, REQUEST_CHECK_ROLE),
      data: { expectedStatus: request.expect },
      call: () => "if (typeof pm !== 'undefined') tokenmanPostmanExampleAnswerTest(pm, tokenman);",
    }),
  );
}

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

/** A script as Collection v2.1 keeps it: the marker, then its lines packed into exec elements. */
export function execLines({ marker, body }: PostmanScript): string[] {
  return [marker, ...packLines(body)];
}

/** A script as Collection v3 keeps it: one text. */
export function codeText({ marker, body }: PostmanScript): string {
  return `${marker}\n${body}`;
}
