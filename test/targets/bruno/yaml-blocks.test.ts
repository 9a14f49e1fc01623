import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { yamlBlocks } from '../../../src/targets/bruno/yaml-blocks.js';

// Bruno's files are YAML as the yaml library writes it (what Bruno's own writer uses); yamlBlocks
// only takes shorter ways to the same text. Any block, of any strings, must come out as the
// library's stringify writes it, byte for byte.

const libraryText = (blocks: Array<Record<string, unknown>>) =>
  blocks.map((block) => stringify(block, { lineWidth: 0, minContentWidth: 0 })).join('\n');

/** Lines a script or a description may hold, the awkward ones for YAML among them. */
const line = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '',
    ' ',
    '  indented',
    '\tlead tab',
    'trailing  ',
    '# not a comment',
    '- item',
    'key: value',
  ),
  fc.constantFrom(
    '---',
    '...',
    '"quoted"',
    "'single'",
    '|',
    '>',
    'a\u0007bell',
    'lone \ud800 surrogate',
    '→ “x”',
  ),
);
/** Mostly long multi-line text (past the length where yaml-blocks writes it itself), sometimes short. */
const text = fc
  .tuple(fc.array(line, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 120 }))
  .map(([lines, times]) => Array.from({ length: times }, () => lines.join('\n')).join('\n'));
const scalar = fc.oneof(text, fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
const value = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 3 }),
  map: fc.dictionary(fc.constantFrom('code', 'docs', 'name', 'type', 'data', 'scripts'), tie('value'), {
    maxKeys: 4,
  }),
}));
const block = fc.dictionary(fc.constantFrom('info', 'http', 'runtime', 'docs', 'request'), value.value, {
  minKeys: 1,
  maxKeys: 3,
});

describe('yamlBlocks', () => {
  test('writes any blocks as the yaml library writes them', () => {
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 4 }), (blocks) => {
        expect(yamlBlocks(blocks)).toBe(libraryText(blocks));
      }),
      { numRuns: 300 },
    );
  });

  test('writes a script as a literal block, as the library does', () => {
    const code = Array.from({ length: 200 }, (_, i) => `  const line${i} = "value";\n\n// ${i}`).join('\n');
    const blocks = [{ request: { scripts: [{ type: 'before-request', code: `// head\n${code}` }] } }];
    const written = yamlBlocks(blocks);
    expect(written).toBe(libraryText(blocks));
    expect(written).toContain(
      '      code: |-\n        // head\n          const line0 = "value";\n\n        // 0\n',
    );
  });
});
