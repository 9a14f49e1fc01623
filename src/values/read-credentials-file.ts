import { readFile, stat } from 'node:fs/promises';
import { locateDeepNesting, locateJsonError } from './locate-json-error.js';
import { unreadableReason } from './read-environment-file.js';

const WHAT =
  'give the JSON credentials file your vendor gave you (an SAP service key, a Google service-account key)';

/** Service keys and key files nest three or four levels; a file nested far deeper is not one. */
const MAX_DEPTH = 32;

/** A vendor's credentials file as read: its path (for messages) and its top-level object. */
export interface CredentialsFile {
  file: string;
  root: Record<string, unknown>;
}

/**
 * Where the JSON starts: at once, or after the lines `cf service-key` prints before it (`Getting key
 * … as …`), which a user who saved the command's output has in the file. Only lines before one that
 * starts with `{` are skipped, so the line and column of a mistake stay those of the file.
 */
function jsonStart(text: string): number {
  if (/^\s*[{[]/.test(text)) return 0;
  const brace = /^\{/m.exec(text);
  return brace ? brace.index : 0;
}

/**
 * A vendor's JSON credentials file (`--credentials`), or one sentence saying what is wrong with it.
 * Nothing of the file's content is ever quoted: it is made of secrets, and a parser's own message
 * would print the text around the mistake.
 */
export async function readCredentialsFile(file: string): Promise<CredentialsFile | { error: string }> {
  let text: string;
  try {
    // A FIFO or a device would be read for ever (or not at all); only a regular file is read.
    const info = await stat(file);
    if (info.isDirectory()) return { error: `--credentials ${file} is a folder; ${WHAT}` };
    if (!info.isFile()) return { error: `--credentials ${file} is not a regular file; ${WHAT}` };
    // A byte order mark, as some editors on Windows save JSON, is no part of it.
    text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    return { error: `--credentials ${file} ${unreadableReason(error)}; ${WHAT}` };
  }
  const start = jsonStart(text);
  const deep = locateDeepNesting(text, MAX_DEPTH);
  if (deep) {
    return {
      error: `--credentials ${file} nests objects or lists more than ${MAX_DEPTH} deep (line ${deep.line}, column ${deep.col}), which no credentials file does; ${WHAT}`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text.slice(start));
  } catch {
    // Located in the whole text, so the line and column are the file's own.
    const at = locateJsonError(`${text.slice(0, start).replace(/[^\r\n]/g, ' ')}${text.slice(start)}`);
    const where = at ? ` (line ${at.line}, column ${at.col})` : '';
    return { error: `--credentials ${file} is not JSON${where}; ${WHAT}` };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { error: `--credentials ${file} is ${kindOf(json)}, not a JSON object of fields; ${WHAT}` };
  }
  return { file, root: json as Record<string, unknown> };
}

export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
