import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { assembleScript } from '../../../src/sandbox/assemble-script.js';
import { execLines } from '../../../src/targets/postman/postman-script.js';

// A Postman script's exec elements hold its lines a few at a time: each element as many whole
// lines as fit in 960 characters of JSON, the lines in order, so Postman (which joins the elements
// with line breaks) reads the script as assembled.

const LIMIT = 960;

/** The packing in its plainest form: lines added to an element while its JSON text stays in bounds. */
function packedPlainly(lines: string[]): string[] {
  const elements: string[][] = [];
  for (const line of lines) {
    const current = elements[elements.length - 1];
    if (current && JSON.stringify([...current, line].join('\n')).length <= LIMIT) current.push(line);
    else elements.push([line]);
  }
  return elements.map((element) => element.join('\n'));
}

const plan = (header: string[], data: unknown) => ({
  entry: 'postman/example-answer-test.js',
  header,
  data,
  call: () => "if (typeof pm !== 'undefined') tokenmanPostmanExampleAnswerTest(pm, tokenman);",
});

describe('execLines', () => {
  test('packs the lines of any script, escapes and all, as the plain packing does', () => {
    const line = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.constantFrom(
        '"quoted"',
        'back\\slash',
        'tab\there',
        'bell\u0007',
        'lone \udc00 surrogate',
        'pair 😀',
      ),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.array(line, { maxLength: 20 }), (header, data) => {
        const [marker = '', ...rest] = assembleScript({
          ...plan(header, data),
          prelude: ["'use sandbox2';"],
        });
        const exec = execLines({ marker, body: rest.join('\n\n') });
        expect(exec).toEqual([marker, ...packedPlainly(rest.join('\n\n').split('\n'))]);
        for (const element of exec.slice(1))
          expect(JSON.stringify(element).length <= LIMIT || !element.includes('\n')).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
