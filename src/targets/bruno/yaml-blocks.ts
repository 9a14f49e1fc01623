import { Document, type DocumentOptions, type SchemaOptions, type ToStringOptions } from 'yaml';

// The YAML text of a Bruno file, with the `yaml` library. Its output is what it always was; two
// things only make it cheaper, since a build writes thousands of these files: one document (and so
// one schema) serves every block, and a script's code, tens of kilobytes a spec, goes the short way
// to the literal block the library would make of it (see literalBlock).

type Yaml = Record<string, unknown>;
type StringTag = {
  tag: string;
  stringify?: (
    item: unknown,
    ctx: StringifyContext,
    onComment?: () => void,
    onChompKeep?: () => void,
  ) => string;
};

/** What of the library's stringify context the short way reads. */
interface StringifyContext {
  indent: string;
  implicitKey?: boolean;
  inFlow?: boolean | null;
  options: { blockQuote?: boolean | 'folded' | 'literal'; lineWidth?: number };
}

/** Long enough for the short way to matter; shorter strings go the library's way. */
const SHORT = 1024;
/** A character the library writes in double quotes (a control character, a lone surrogate, taken
 * here for any surrogate, so a string holding one goes the library's way). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it finds
const DOUBLE_QUOTED = /[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]/;

/**
 * The literal block (`|-`) the library makes of a multi-line string that a block mapping holds, for
 * the strings whose every check it passes the same way: no character it would double-quote, no
 * white space at either end (so no chomping or indentation indicator), no line width to fold at.
 * The library finds that out with several regular expressions over the whole text; these checks
 * look at its ends and scan it once. Anything else is left to the library (undefined).
 */
function literalBlock(item: unknown, ctx: StringifyContext): string | undefined {
  const { value, type, comment } = item as { value?: unknown; type?: unknown; comment?: unknown };
  if (typeof value !== 'string' || value.length < SHORT || type !== undefined || comment) return undefined;
  if (ctx.implicitKey || ctx.inFlow || !ctx.indent || ctx.options.blockQuote !== true) return undefined;
  if (ctx.options.lineWidth !== undefined && ctx.options.lineWidth > 0) return undefined;
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  const blank = (code: number) => code === 0x20 || code === 0x09 || code === 0x0a;
  if (blank(first) || blank(last) || !value.includes('\n') || DOUBLE_QUOTED.test(value)) return undefined;
  return `|-\n${ctx.indent}${value.replace(/\n+/g, `$&${ctx.indent}`)}`;
}

const OPTIONS = { lineWidth: 0, minContentWidth: 0 } satisfies ToStringOptions;

const SCHEMA: SchemaOptions = {
  customTags: (tags) =>
    tags.map((tag) => {
      const string = tag as StringTag;
      if (typeof tag !== 'object' || string.tag !== 'tag:yaml.org,2002:str' || !string.stringify) return tag;
      const library = string.stringify.bind(string);
      return {
        ...string,
        stringify: (item, ctx, onComment, onChompKeep) =>
          literalBlock(item, ctx) ?? library(item, ctx, onComment, onChompKeep),
      } as typeof tag;
    }),
};

let document: Document | undefined;

/** One block as the library's `stringify(block, OPTIONS)` writes it. */
function blockText(block: Yaml): string {
  document ??= new Document(null, { ...SCHEMA, ...OPTIONS } as DocumentOptions & SchemaOptions);
  // A new node each time, made as a new document would make it: nothing of the last block stays.
  document.contents = null;
  document.contents = document.createNode(block) as Document['contents'];
  return document.toString(OPTIONS);
}

/** YAML text of top-level blocks, one blank line apart; deterministic for a given input. */
export function yamlBlocks(blocks: Yaml[]): string {
  return blocks.map(blockText).join('\n');
}
