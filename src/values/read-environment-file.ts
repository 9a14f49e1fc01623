import { readFile } from 'node:fs/promises';
import type { EnvVarParse } from './environment-values.js';
import { locateJsonError } from './locate-json-error.js';

const WHAT = 'give a Postman environment file (in Postman: Environments, ⋯, Export)';

/** Why a file given on the command line could not be read, finishing "FILE …". */
export function unreadableReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EISDIR') return 'is a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  return `cannot be read (${code ?? 'unknown error'})`;
}

/**
 * The enabled values of a Postman environment file (`-e`), or a sentence saying what is wrong with
 * it. Nothing of the file's content is quoted: it holds secrets, and a wrong file (a .env of
 * credentials) may be one line that a parser's message would print whole.
 */
export async function readEnvironmentFile(file: string): Promise<EnvVarParse> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { error: `-e ${file} ${unreadableReason(error)}; ${WHAT}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const at = locateJsonError(text);
    const where = at ? ` (line ${at.line}, column ${at.col})` : '';
    return { error: `-e ${file} is not JSON${where}; ${WHAT}` };
  }
  const values = (json as { values?: unknown } | null)?.values;
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !Array.isArray(values)) {
    const got =
      typeof json !== 'object' || json === null || Array.isArray(json)
        ? `it is ${kindOf(json)}`
        : `its "values" is ${kindOf(values)}`;
    return {
      error: `-e ${file} is not a Postman environment: ${got}, not an object with a "values" list; ${WHAT}`,
    };
  }
  const result: Record<string, string> = {};
  for (const [index, entry] of values.entries()) {
    if (typeof entry !== 'object' || entry === null || typeof (entry as { key?: unknown }).key !== 'string')
      return {
        error: `-e ${file} is not a Postman environment: values[${index}] is ${kindOf(entry)}, not {"key": …, "value": …}; ${WHAT}`,
      };
    const { key, value, enabled } = entry as { key: string; value?: unknown; enabled?: unknown };
    if (key && enabled !== false) result[key] = String(value ?? '');
  }
  return { values: result };
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value === undefined) return 'missing';
  if (typeof value === 'object') return 'an object without a "key" string';
  return `a ${typeof value}`;
}
