import {
  CERTIFICATE_HOME,
  fail,
  type PastedBody,
  type PastedField,
  type PasteResult,
} from './pasted-request.js';
import type { ShellWord } from './shell-words.js';

// HTTPie (`http`, `https`) and xh, which shares its syntax: `[METHOD] URL ITEM…`, where an item's
// separator says what it is. JSON is the default body; --form makes it urlencoded.

const WITH_VALUE = new Set([
  '-a',
  '--auth',
  '-A',
  '--auth-type',
  '-p',
  '--print',
  '--pretty',
  '-s',
  '--style',
  '-o',
  '--output',
  '--timeout',
  '--verify',
  '--cert',
  '--cert-key',
  '--proxy',
  '--session',
]);

const FLAGS = new Set([
  '-f',
  '--form',
  '-j',
  '--json',
  '--multipart',
  '-v',
  '--verbose',
  '-b',
  '--body',
  '-h',
  '--headers',
  '-F',
  '--follow',
  '--check-status',
  '--ignore-stdin',
  '-I',
  '--offline',
  '-d',
  '--download',
]);

// Longest first: `:=` before `:` and `=`, `==` before `=`.
const SEPARATORS = [':=@', '=@', '==', ':=', '=', '@', ':'] as const;

export function parseHttpie(words: ShellWord[]): PasteResult {
  const first = words[0] as ShellWord;
  const defaultScheme = /(^|\/)(https|xhs)$/.test(first.text) ? 'https' : 'http';
  let encoding: 'json' | 'urlencoded' | 'form-data' = 'json';
  let basicUser: PastedField | undefined;
  let insecure = false;
  let clientCertificate = false;
  const notes: string[] = [];
  const positional: ShellWord[] = [];

  for (let index = 1; index < words.length; index += 1) {
    const word = words[index] as ShellWord;
    // Options may come anywhere, as in HTTPie; an item never starts with a dash.
    if (!word.text.startsWith('-') || word.text === '-') {
      positional.push(word);
      continue;
    }
    const equals = word.text.indexOf('=');
    const option = equals > 0 && word.text.startsWith('--') ? word.text.slice(0, equals) : word.text;
    let value: ShellWord | undefined;
    if (WITH_VALUE.has(option)) {
      if (equals > 0 && option !== word.text) {
        value = { text: word.text.slice(equals + 1), at: word.at };
      } else {
        value = words[index + 1];
        index += 1;
      }
      if (!value) return fail(`${option} needs a value`, word.at);
    } else if (!FLAGS.has(option)) {
      return fail(
        `HTTPie option ${option} is not one tokenman understands`,
        word.at,
        'remove it; tokenman reads --form, --json, --multipart, -a/--auth and --verify',
      );
    }
    if (option === '-f' || option === '--form') encoding = encoding === 'form-data' ? encoding : 'urlencoded';
    else if (option === '--multipart') encoding = 'form-data';
    else if (option === '-j' || option === '--json') encoding = 'json';
    else if (option === '-a' || option === '--auth')
      basicUser = { name: 'auth', value: value?.text ?? '', at: value?.at ?? word.at };
    else if (option === '-A' || option === '--auth-type') {
      if (value && value.text.toLowerCase() !== 'basic') {
        return fail(
          `--auth-type ${value.text} is not a token request`,
          value.at,
          'tokenman reads Basic client authentication',
        );
      }
    } else if (option === '--verify') {
      if (/^(no|false)$/i.test(value?.text ?? '')) insecure = true;
    } else if (option === '--cert') {
      clientCertificate = true;
      notes.push(`${option} not written: certificate and key files are each user's own; ${CERTIFICATE_HOME}`);
    } else if (option === '--cert-key') {
      notes.push(`${option} not written: certificate and key files are each user's own; ${CERTIFICATE_HOME}`);
    } else if (WITH_VALUE.has(option)) notes.push(`ignored ${option}: it does not change the token request`);
  }

  // A leading word of letters alone is the method, as long as a URL follows it.
  let method: string | undefined;
  if (positional.length > 1 && /^[A-Za-z]+$/.test(positional[0]?.text ?? '')) {
    method = (positional.shift() as ShellWord).text.toUpperCase();
  }
  const urlWord = positional.shift();
  if (!urlWord)
    return fail('the HTTPie command has no URL', first.at, 'paste the whole command, URL included');

  const headers: PastedField[] = [];
  const fields: PastedField[] = [];
  const json: Record<string, unknown> = {};
  const query = new URLSearchParams();
  for (const item of positional) {
    const found = findSeparator(item.text);
    if (!found) {
      return fail(
        'this word is not a request item',
        item.at,
        'items are name=value, name:=json, Header:value or name==query',
      );
    }
    const { name, separator, value } = found;
    if (separator === '=@' || separator === ':=@' || separator === '@') {
      return fail(
        `${name}${separator} sends a file's content, which tokenman cannot see`,
        item.at,
        'paste the value itself',
      );
    }
    if (separator === ':') headers.push({ name, value, at: item.at });
    else if (separator === '==') query.append(name, value);
    else if (separator === ':=') {
      if (encoding !== 'json') return fail(`${name}:= sends raw JSON, which a form cannot carry`, item.at);
      try {
        json[name] = JSON.parse(value);
      } catch {
        return fail(`the JSON of ${name}:= does not parse`, item.at);
      }
    } else {
      fields.push({ name, value, at: item.at });
      json[name] = value;
    }
  }

  const url = withQuery(withScheme(urlWord.text, defaultScheme), query);
  const hasData = fields.length > 0 || Object.keys(json).length > 0;
  let body: PastedBody = { kind: 'none' };
  if (hasData)
    body =
      encoding === 'json'
        ? { kind: 'json', value: json, at: (positional[0] as ShellWord).at }
        : { kind: encoding, fields };
  return {
    ok: true,
    value: {
      tool: 'HTTPie',
      ...(method ? { method } : hasData ? { method: 'POST' } : {}),
      url,
      urlAt: urlWord.at,
      headers,
      ...(basicUser ? { basicUser } : {}),
      body,
      dataInQuery: false,
      insecure,
      ...(clientCertificate ? { clientCertificate } : {}),
      notes,
    },
  };
}

function findSeparator(text: string): { name: string; separator: string; value: string } | undefined {
  for (let index = 1; index < text.length; index += 1) {
    if (text[index - 1] === '\\') continue;
    for (const separator of SEPARATORS) {
      if (text.startsWith(separator, index)) {
        return { name: text.slice(0, index), separator, value: text.slice(index + separator.length) };
      }
    }
  }
  return undefined;
}

/** HTTPie's shorthands: `:8080/x` is localhost, a bare host gets the command's scheme. */
function withScheme(url: string, scheme: string): string {
  if (url.startsWith(':')) return `${scheme}://localhost${url}`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || url.startsWith('${') || url.startsWith('{{')) return url;
  return `${scheme}://${url}`;
}

function withQuery(url: string, query: URLSearchParams): string {
  const text = query.toString();
  if (text === '') return url;
  return `${url}${url.includes('?') ? '&' : '?'}${text}`;
}
