// An API document's text as a value. Vendor documents run to megabytes (Okta's is 3.4 MB of YAML):
// js-yaml reads that in a fifth of the time `yaml` takes, and JSON.parse reads a .json document
// faster still. Positions are found again only for a problem (document-positions.ts).
import jsYaml from 'js-yaml';
import type { Position } from '../problem.js';

export type Parsed = { ok: true; value: unknown } | { ok: false; message: string; position: Position };

/**
 * Parses JSON (a `.json` file) or YAML; plain data only, as JSON has (no dates, no custom tags), and
 * a repeated key is the last one's, as JSON.parse has it.
 */
export function parseDocumentText(text: string, file: string): Parsed {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (/\.json$/i.test(file)) {
    try {
      return { ok: true, value: JSON.parse(body) };
    } catch (error) {
      return jsonProblem(body, error);
    }
  }
  try {
    return { ok: true, value: jsYaml.load(body, { schema: jsYaml.JSON_SCHEMA, json: true, filename: file }) };
  } catch (error) {
    if (error instanceof jsYaml.YAMLException) {
      const mark = error.mark as { line?: number; column?: number } | undefined;
      return {
        ok: false,
        message: `is not valid YAML: ${error.reason}`,
        position: { line: (mark?.line ?? 0) + 1, col: (mark?.column ?? 0) + 1 },
      };
    }
    throw error;
  }
}

function jsonProblem(text: string, error: unknown): Parsed {
  const message = error instanceof Error ? error.message : String(error);
  const reason = message
    // V8 quotes the text around the mistake, cut with "..." when it is long: the position says where.
    .replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '');
  // V8 names the offset for some mistakes only ("... in JSON at position 123"); for the others
  // js-yaml, which reads JSON as YAML, finds the place.
  const offset = /position (\d+)/.exec(message)?.[1] ?? quotedOffset(text, message);
  let position: Position = { line: 1, col: 1 };
  if (offset !== undefined) {
    const before = text.slice(0, Number(offset)).split('\n');
    position = { line: before.length, col: (before[before.length - 1] ?? '').length + 1 };
  } else {
    try {
      jsYaml.load(text, { schema: jsYaml.JSON_SCHEMA, json: true });
    } catch (yamlError) {
      const mark = (yamlError as { mark?: { line?: number; column?: number } }).mark;
      if (mark) position = { line: (mark.line ?? 0) + 1, col: (mark.column ?? 0) + 1 };
    }
  }
  return { ok: false, message: `is not valid JSON: ${reason}`, position };
}

/**
 * V8's characters of context before a mistake it quotes, when it quotes them after "...": found
 * once in the text, the quote tells where the mistake is.
 */
const QUOTED_BEFORE = 10;

function quotedOffset(text: string, message: string): string | undefined {
  const quoted = /, \.\.\."(.*)"(\.\.\.)? is not valid JSON$/s.exec(message)?.[1];
  if (!quoted) return undefined;
  const at = text.indexOf(quoted);
  if (at < 0 || text.indexOf(quoted, at + 1) >= 0) return undefined;
  return String(at + QUOTED_BEFORE);
}
