/**
 * A value as JSON for a script's source, two spaces a level. U+2028 and U+2029 are valid inside a
 * JSON string but end a line for a JavaScript parser older than ES2019 and for Bruno's reading of
 * its scripts ("Unexpected token ILLEGAL", every request failing), so any spec string holding one
 * is written with them escaped: the same string, whichever parser reads it.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u2028\u2029]/g, (char) =>
    char === '\u2028' ? '\\u2028' : '\\u2029',
  );
}
