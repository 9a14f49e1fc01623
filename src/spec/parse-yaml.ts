import { LineCounter, parseAllDocuments, visit, type YAMLError } from 'yaml';
import type { Problem } from './problem.js';
import { SpecSource } from './spec-source.js';

// A spec needs no deep aliasing. The yaml package counts how much data aliases expand to and
// refuses past this, so a "billion laughs" document fails in milliseconds instead of filling memory.
const MAX_ALIAS_COUNT = 100;

export const SPEC_SHAPE_HINT = 'a spec is a YAML mapping with at least name, variables, token';

export interface ParsedYaml {
  source?: SpecSource;
  /** The document as plain JSON-like data; present when there are no errors. */
  value?: unknown;
  problems: Problem[];
}

export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter,
    prettyErrors: true,
    uniqueKeys: true,
    // The library reports through values only; a parser warning on stderr would bypass the CLI.
    logLevel: 'error',
  });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  const problem = (ruleId: string, message: string, offset: number, hint?: string): Problem => ({
    ruleId,
    severity: 'error',
    message,
    ...(hint ? { hint } : {}),
    file,
    position: at(offset),
  });

  const control = firstControlCharacter(text);
  if (control >= 0) {
    const code = text.charCodeAt(control).toString(16).toUpperCase().padStart(4, '0');
    return {
      problems: [
        problem(
          'not-text',
          `the file contains control character U+${code}; a spec is YAML text`,
          control,
          'is this the right file? save the spec as plain UTF-8 text',
        ),
      ],
    };
  }

  const [doc, second] = Array.isArray(docs) ? docs : [];
  if (!doc || doc.contents === null) {
    // A document of only comments or `---` parses to nothing, like an empty file.
    return { problems: [problem('not-a-mapping', `the spec is empty; ${SPEC_SHAPE_HINT}`, 0)] };
  }

  const problems: Problem[] = [];
  const yamlErrors = doc.errors;
  // After a syntax error the parser's later errors are mostly consequences of the first; duplicate
  // keys are independent of each other, so each is reported.
  const firstSyntax = yamlErrors.find((e) => e.code !== 'DUPLICATE_KEY');
  for (const error of yamlErrors) {
    if (error.code === 'DUPLICATE_KEY' || error === firstSyntax) problems.push(fromYamlError(error));
  }
  for (const warning of doc.warnings) {
    problems.push({ ...fromYamlError(warning), severity: 'warning' });
  }
  if (second) {
    problems.push(
      problem(
        'multiple-documents',
        'a spec is one YAML document, but a second one starts here',
        second.range[0],
        'remove the "---" line and what follows it, or move the second spec into a file of its own',
      ),
    );
  }
  const source = new SpecSource(file, text, doc, lineCounter);
  if (problems.some((p) => p.severity === 'error')) return { source, problems };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    problems.push(aliasProblem(source, error));
    return { source, problems };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const range = doc.contents.range;
    const got = Array.isArray(value) ? 'a list' : value === null ? 'an empty value' : `a ${typeof value}`;
    problems.push({
      ruleId: 'not-a-mapping',
      severity: 'error',
      message: `the spec is ${got}; ${SPEC_SHAPE_HINT}`,
      hint: 'start the file with "name: …" at the left margin',
      file,
      ...source.span(range[0], range[1]),
    });
    return { source, problems };
  }
  return { source, value, problems };

  function fromYamlError(error: YAMLError): Problem {
    // With prettyErrors the message ends with " at line L, column C:" and a code frame of its own;
    // the position is kept structured and the frame is drawn when printing.
    const message = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    const [start, end] = error.pos;
    if (error.code === 'DUPLICATE_KEY') return duplicateKey(start, end);
    const unquoted = unquotedTemplate(text, start);
    if (unquoted) {
      return {
        ruleId: 'yaml-syntax',
        severity: 'error',
        message:
          'YAML syntax error: an unquoted value starting with {{ is read as a YAML mapping, not a template',
        hint: `quote it: ${unquoted.fixed}`,
        file,
        position: at(unquoted.start),
        end: at(unquoted.end),
      };
    }
    const hint = syntaxHint(error.code, message);
    return {
      ruleId: 'yaml-syntax',
      severity: 'error',
      message: `YAML syntax error: ${lowerFirst(message)}`,
      ...(hint ? { hint } : {}),
      file,
      position: at(start),
      end: at(end),
    };
  }

  function duplicateKey(start: number, errorEnd: number): Problem {
    let end = errorEnd;
    // The parser reports where the repeated key starts; name it and say where it was first written.
    let name: string | undefined;
    let first: number | undefined;
    if (doc) {
      visit(doc, {
        Map(_, map) {
          const seen = new Map<string, number>();
          for (const pair of map.items) {
            const key = pair.key as { value?: unknown; range?: [number, number, number] } | null;
            const keyName = String(key?.value);
            const keyStart = key?.range?.[0];
            if (keyStart === undefined) continue;
            if (keyStart === start && seen.has(keyName)) {
              name = keyName;
              first = seen.get(keyName);
              end = key?.range?.[1] ?? end;
              return visit.BREAK;
            }
            if (!seen.has(keyName)) seen.set(keyName, keyStart);
          }
          return undefined;
        },
      });
    }
    return {
      ruleId: 'duplicate-key',
      severity: 'error',
      message:
        name === undefined
          ? 'duplicate key: each key may appear once in a mapping'
          : `duplicate key "${name}": it was already set on line ${at(first ?? 0).line}`,
      hint: 'keep one of them; a later value would silently replace the earlier one',
      file,
      position: at(start),
      end: at(end),
    };
  }
}

/**
 * `url: {{AuthUrl}}/token` is the mistake a spec invites: unquoted, `{` starts a YAML flow mapping.
 * The parser stumbles somewhere after it, so the error's line is checked for the pattern itself.
 */
function unquotedTemplate(
  text: string,
  offset: number,
): { start: number; end: number; fixed: string } | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd).replace(/\r$/, '');
  const match = /^(\s*(?:-\s+)?[^\s:#]+:\s+)(\{\{.*?)\s*$/.exec(line);
  if (!match) return undefined;
  const [, key = '', value = ''] = match;
  const start = lineStart + key.length;
  return { start, end: start + value.length, fixed: `${key.trim()} ${JSON.stringify(value)}` };
}

function syntaxHint(code: string, message: string): string | undefined {
  if (/end with an? [\]}]/.test(message)) {
    return 'close the list [ ] or mapping { } that starts above, or write one item per line';
  }
  return YAML_HINTS[code];
}

const YAML_HINTS: Partial<Record<string, string>> = {
  TAB_AS_INDENT: 'indent with spaces; YAML does not allow tabs for indentation',
  MISSING_CHAR: 'close the quote or bracket opened before this point',
  BAD_INDENT: 'line up keys of one mapping at the same column, indenting nested ones by two spaces',
  BLOCK_AS_IMPLICIT_KEY: 'a value that contains ": " or starts with a special character needs quotes',
  MULTILINE_IMPLICIT_KEY: 'a value that contains ": " or starts with a special character needs quotes',
  UNEXPECTED_TOKEN: 'a value that contains ": ", "#" or starts with a special character needs quotes',
};

function aliasProblem(source: SpecSource, error: unknown): Problem {
  const reason = error instanceof Error ? error.message : String(error);
  const aliases: Array<{ range: [number, number]; resolved: boolean; name: string }> = [];
  visit(source.doc, {
    Alias(_, alias) {
      if (alias.range) {
        aliases.push({
          range: [alias.range[0], alias.range[1]],
          resolved: alias.resolve(source.doc) !== undefined,
          name: alias.source,
        });
      }
    },
  });
  const unresolved = aliases.find((a) => !a.resolved);
  if (unresolved) {
    return {
      ruleId: 'yaml-alias',
      severity: 'error',
      message: `alias *${unresolved.name} refers to no anchor &${unresolved.name} before it`,
      hint: 'define the anchor (&name) earlier in the file, or write the value out',
      file: source.file,
      ...source.span(unresolved.range[0], unresolved.range[1]),
    };
  }
  const first = aliases[0];
  if (/alias count/i.test(reason)) {
    return {
      ruleId: 'yaml-alias',
      severity: 'error',
      message: `aliases expand to too much data (more than ${MAX_ALIAS_COUNT} alias uses); refusing a possible resource-exhaustion document`,
      hint: 'a spec needs no nested aliases; write the values out',
      file: source.file,
      ...(first ? source.span(first.range[0], first.range[1]) : { position: { line: 1, col: 1 } }),
    };
  }
  return {
    ruleId: 'yaml-syntax',
    severity: 'error',
    message: `the YAML document cannot be read: ${reason}`,
    file: source.file,
    position: { line: 1, col: 1 },
  };
}

/** The offset of the first character YAML does not allow in a stream, or -1. */
function firstControlCharacter(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return text.search(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
