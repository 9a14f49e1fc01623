import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { didYouMean } from './did-you-mean.js';
import type { Problem } from './problem.js';
import { type PointAt, pathLabel, type SpecPath, type SpecSource } from './spec-source.js';
import validateSpecSchemaUntyped from './spec-validator.generated.js';

const validateSpecSchema = validateSpecSchemaUntyped as ((value: unknown) => boolean) & {
  errors?: ErrorObject[] | null;
};

// Read at run time rather than imported: the schema ships beside the build (package.json "files"),
// and an import would put it outside the compiler's rootDir. The path is the same from src/spec and
// build/spec.
const SCHEMA_URL = new URL('../../schema/spec.schema.json', import.meta.url);

/** The spec's JSON Schema, the source of truth for the format. */
export function specSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as Record<string, unknown>;
}

function validate(value: unknown): ErrorObject[] {
  // Precompiled by scripts/generate-from-schema.mjs (allErrors, verbose: each error carries its
  // parentSchema, which lists the valid keys for suggestions): compiling the schema at every start
  // cost more than the rest of validation.
  return validateSpecSchema(value) ? [] : [...(validateSpecSchema.errors ?? [])];
}

/** What each pattern in the schema means, in words; a test checks that every pattern is here. */
export const PATTERN_WORDS: Record<string, { noun: string; rule: string; fix?: (text: string) => string }> = {
  '^[A-Za-z][A-Za-z0-9_]*$': {
    noun: 'variable name',
    rule: 'letters, digits and _, starting with a letter',
    fix: (text) =>
      text
        .replace(/^\{\{|\}\}$/g, '')
        .replace(/[^A-Za-z0-9_]+/g, '_')
        .replace(/^[^A-Za-z]+/, ''),
  },
  '^[a-z][a-z0-9-]*$': {
    noun: 'variant key',
    rule: 'lowercase letters, digits and -, starting with a letter',
    fix: (text) =>
      text
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^[^a-z]+|-+$/g, ''),
  },
  '^urn:[A-Za-z0-9:._-]+$': {
    noun: 'token type',
    rule: 'a URN, as in urn:ietf:params:oauth:token-type:access_token',
  },
  '^[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*|\\[[0-9]+\\])*$': {
    noun: 'credentials file path',
    rule: 'field names of letters, digits, _ or - joined by ".", with [n] for a list item, as in uaa.clientid or serviceurls.AI_API_URL',
  },
  '^[A-Za-z_$][A-Za-z0-9_$-]*(\\.[A-Za-z_$][A-Za-z0-9_$-]*|\\[[0-9]+\\])*$': {
    noun: 'response path',
    rule: 'names of letters, digits, _, $ or - joined by ".", with [n] for a list item, as in data.access_token',
  },
  '^[A-Za-z_$][A-Za-z0-9_$-]*(\\.[A-Za-z_$][A-Za-z0-9_$-]*|\\[[0-9]+\\]|\\[[A-Za-z_$][A-Za-z0-9_$-]*=[^\\]]*\\])*$':
    {
      noun: 'response path',
      rule: 'names joined by ".", with [n] for a list item or [key=value] to pick one, as in results[default=true].name',
    },
};

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'empty',
};

// Keywords that only say "some branch below failed"; the errors of the branches say what.
const WRAPPERS = new Set(['propertyNames', 'if', 'then', 'else', 'oneOf', 'anyOf', 'allOf', 'not', '$ref']);

interface Located {
  error: ErrorObject;
  path: SpecPath;
}

export function checkSchema(value: unknown, source: SpecSource): Problem[] {
  const located = validate(value).map((error) => ({ error, path: toPath(error.instancePath, value) }));
  const kept = collapse(located);

  // One group per place: a node, a key of a mapping, or a mapping's missing keys.
  const groups = new Map<string, Located[]>();
  for (const item of kept) {
    const id = groupId(item);
    groups.set(id, [...(groups.get(id) ?? []), item]);
  }

  const problems: Problem[] = [];
  const unknownKeySuggestions = new Set<string>();
  const pending: Array<() => Problem | undefined> = [];
  for (const group of groups.values()) {
    const [first] = group;
    if (!first) continue;
    const { error, path } = first;
    if (error.keyword === 'additionalProperties') {
      const key = String(error.params.additionalProperty);
      const valid = Object.keys(propertiesOf(error.parentSchema));
      const suggestion = didYouMean(key, valid);
      if (suggestion) unknownKeySuggestions.add(JSON.stringify([...path, suggestion]));
      const list = valid.length ? `valid keys: ${valid.join(', ')}` : 'no other keys are allowed here';
      problems.push(
        source.problem(
          {
            ruleId: 'unknown-key',
            message: `unknown key "${key}" in ${pathLabel(path)}`,
            hint: suggestion ? `did you mean "${suggestion}"? ${list}` : list,
          },
          { path: [...path, key], key: true },
        ),
      );
    } else if (error.keyword === 'required') {
      // Deferred: a missing key that an unknown key's suggestion already explains is not repeated.
      pending.push(() => missingKeys(group, source, unknownKeySuggestions));
    } else if (error.keyword === 'type') {
      problems.push(wrongType(group, source));
    } else {
      problems.push(other(first, source));
    }
  }
  for (const make of pending) {
    const problem = make();
    if (problem) problems.push(problem);
  }
  // A key can break two rules at once (its name and its presence); the first says enough.
  const seen = new Set<string>();
  return problems.filter((p) => {
    const at = JSON.stringify([p.position, p.end]);
    if (seen.has(at)) return false;
    seen.add(at);
    return true;
  });
}

/** Drops errors that repeat or merely wrap another error about the same place. */
function collapse(located: Located[]): Located[] {
  const isUnder = (path: SpecPath, prefix: SpecPath) =>
    path.length >= prefix.length && prefix.every((segment, i) => path[i] === segment);
  const typeErrors = located.filter((l) => l.error.keyword === 'type');
  return located.filter((item) => {
    const { error, path } = item;
    if (WRAPPERS.has(error.keyword)) {
      const explained = located.some(
        (other) => other !== item && !WRAPPERS.has(other.error.keyword) && isUnder(other.path, path),
      );
      if (explained) return false;
    }
    // A node of the wrong type has nothing else worth saying about it or below it.
    return !typeErrors.some(
      (t) => t !== item && isUnder(path, t.path) && (path.length > t.path.length || error.keyword !== 'type'),
    );
  });
}

function groupId({ error, path }: Located): string {
  if (error.keyword === 'additionalProperties')
    return JSON.stringify([path, 'key', error.params.additionalProperty]);
  if (error.propertyName !== undefined) return JSON.stringify([path, 'name', error.propertyName]);
  if (error.keyword === 'required') return JSON.stringify([path, 'required']);
  return JSON.stringify([path, 'value']);
}

function missingKeys(group: Located[], source: SpecSource, explained: Set<string>): Problem | undefined {
  const [first] = group;
  if (!first) return undefined;
  const path = first.path;
  const keys = [...new Set(group.map((g) => String(g.error.params.missingProperty)))].filter(
    (key) => !explained.has(JSON.stringify([...path, key])),
  );
  if (keys.length === 0) return undefined;
  const quoted = keys.map((k) => `"${k}"`);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
  const required = (first.error.parentSchema?.required as string[] | undefined) ?? [];
  return source.problem(
    {
      ruleId: 'missing-key',
      message: `${pathLabel(path)} is missing required key${keys.length > 1 ? 's' : ''} ${list}`,
      hint: `${pathLabel(path) === 'spec' ? 'a spec' : pathLabel(path)} needs ${required.join(', ')}`,
    },
    pointAtParent(path),
  );
}

/** A mapping is pointed at by its key (`cloud:`), a list item by the item, the root by its start. */
function pointAtParent(path: SpecPath): PointAt {
  return { path, key: typeof path[path.length - 1] === 'string' };
}

function wrongType(group: Located[], source: SpecSource): Problem {
  const [first] = group as [Located, ...Located[]];
  const { path, error } = first;
  const types = [...new Set(group.flatMap((g) => String(g.error.params.type).split(',')))];
  const expected = types.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
  const data: unknown = error.data;
  return source.problem(
    {
      ruleId: 'wrong-type',
      message: `${pathLabel(path)} must be ${expected}, got ${describe(data)}`,
      hint: typeHint(types, data, writtenText(source, path)),
    },
    { path },
  );
}

function writtenText(source: SpecSource, path: SpecPath): string {
  const range = source.valueNode(path)?.range;
  return range ? source.text.slice(range[0], range[1]) : '';
}

function typeHint(types: string[], data: unknown, written: string): string | undefined {
  if (data === null && types.includes('object'))
    return 'write {} for an empty mapping, or indented "key: value" lines';
  if (data === null) return 'write a value after the colon, or remove the key';
  // `url: {{Host}}` parses as a mapping inside a mapping; the author meant a template.
  if (types.includes('string') && written.startsWith('{{')) {
    return `a value that starts with {{ must be quoted: ${JSON.stringify(written.trim())}`;
  }
  if (types.includes('string') && Array.isArray(data)) return 'write it as one string, not a list';
  if (types.includes('string') && (typeof data === 'number' || typeof data === 'boolean')) {
    return `quote it to make it a string: "${String(data)}"`;
  }
  if (types.includes('integer') && typeof data === 'string') {
    return 'write a whole number without quotes or units, as in 60';
  }
  if (types.includes('integer') && typeof data === 'number') return 'use a whole number';
  if (types.includes('boolean') && typeof data === 'string') return 'write true or false, without quotes';
  if (types.includes('object')) return 'write it as indented "key: value" lines';
  if (types.includes('array')) return 'write each item on its own line, starting with "- "';
  return undefined;
}

function other({ error, path }: Located, source: SpecSource): Problem {
  const label = pathLabel(path);
  const data: unknown = error.data;
  const description = (error.parentSchema as { description?: unknown } | undefined)?.description;
  const describeHint = typeof description === 'string' ? description : undefined;
  switch (error.keyword) {
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[]).map(String);
      const suggestion = typeof data === 'string' ? didYouMean(data, allowed) : undefined;
      return source.problem(
        {
          ruleId: 'invalid-value',
          message: `${label} must be one of ${allowed.join(', ')}; got ${quote(data)}`,
          hint: suggestion ? `did you mean "${suggestion}"?` : describeHint,
        },
        { path },
      );
    }
    case 'pattern': {
      const words = PATTERN_WORDS[String(error.params.pattern)];
      const pattern = new RegExp(String(error.params.pattern));
      if (error.propertyName !== undefined) {
        const name = error.propertyName;
        const fixed = words?.fix?.(name);
        return source.problem(
          {
            ruleId: 'invalid-name',
            message: words
              ? `invalid ${words.noun} "${name}" in ${label}: use ${words.rule}`
              : `invalid key "${name}" in ${label}: it must match ${pattern.source}`,
            hint: fixed && fixed !== name && pattern.test(fixed) ? `try "${fixed}"` : undefined,
          },
          { path: [...path, name], key: true },
        );
      }
      const text = String(data);
      const fixed = words?.fix?.(text);
      return source.problem(
        {
          ruleId: 'invalid-format',
          message: words
            ? `${label} must be a ${words.noun} (${words.rule}); got ${quote(data)}`
            : `${label} must match ${pattern.source}; got ${quote(data)}`,
          hint: fixed && fixed !== text && pattern.test(fixed) ? `try "${fixed}"` : describeHint,
        },
        { path },
      );
    }
    case 'minLength':
      return source.problem({ ruleId: 'empty-value', message: `${label} must not be empty` }, { path });
    case 'minProperties': {
      const limit = Number(error.params.limit);
      return source.problem(
        {
          ruleId: 'empty-value',
          message: `${label} must have at least ${limit === 1 ? 'one entry' : `${limit} entries`}`,
          hint: describeHint,
        },
        { path },
      );
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const bound = {
        minimum: 'at least',
        maximum: 'at most',
        exclusiveMinimum: 'more than',
        exclusiveMaximum: 'less than',
      }[error.keyword];
      return source.problem(
        {
          ruleId: 'out-of-range',
          message: `${label} must be ${bound} ${String(error.params.limit)}; got ${quote(data)}`,
          hint: describeHint,
        },
        { path },
      );
    }
    default:
      return source.problem(
        { ruleId: 'schema', message: `${label} ${error.message ?? 'is not valid'}` },
        { path },
      );
  }
}

/** A JSON pointer as path segments, with list indexes as numbers (they address YAML sequences). */
function toPath(pointer: string, root: unknown): SpecPath {
  if (pointer === '') return [];
  const path: Array<string | number> = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const index = Number(segment);
      path.push(index);
      node = node[index];
    } else {
      path.push(segment);
      node =
        node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
    }
  }
  return path;
}

function propertiesOf(schema: unknown): Record<string, unknown> {
  const properties = (schema as { properties?: unknown } | undefined)?.properties;
  return properties !== null && typeof properties === 'object' ? (properties as Record<string, unknown>) : {};
}

/** A received value as a reader would name it: `string "60s"`, `number 5`, `a list`. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `string ${quote(value)}`;
  return `${typeof value} ${String(value)}`;
}

function quote(value: unknown): string {
  if (typeof value !== 'string') return describe(value);
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return JSON.stringify(shown);
}
