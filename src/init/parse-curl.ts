import type { Position } from '../spec/problem.js';
import {
  CERTIFICATE_HOME,
  fail,
  type PastedBody,
  type PastedField,
  type PasteResult,
} from './pasted-request.js';
import type { ShellWord } from './shell-words.js';

// The curl options a token request in vendor documentation uses, plus the harmless ones people add
// (-s, -L, -v). Anything else is refused by name rather than guessed at, because a misread option
// would silently produce the wrong spec.

type Action =
  | 'request'
  | 'header'
  | 'user'
  | 'data'
  | 'data-raw'
  | 'data-urlencode'
  | 'form'
  | 'form-string'
  | 'json'
  | 'url'
  | 'user-agent'
  | 'ignored'
  | 'insecure'
  | 'certificate'
  | 'tls-file'
  | 'get'
  | 'head'
  | 'flag';

const WITH_VALUE: Record<string, Action> = {
  '-X': 'request',
  '--request': 'request',
  '-H': 'header',
  '--header': 'header',
  '-u': 'user',
  '--user': 'user',
  '-d': 'data',
  '--data': 'data',
  '--data-ascii': 'data',
  '--data-binary': 'data',
  '--data-raw': 'data-raw',
  '--data-urlencode': 'data-urlencode',
  '-F': 'form',
  '--form': 'form',
  '--form-string': 'form-string',
  '--json': 'json',
  '--url': 'url',
  '-A': 'user-agent',
  '--user-agent': 'user-agent',
  // Transfer and output settings: they change nothing the token endpoint sees.
  '-o': 'ignored',
  '--output': 'ignored',
  '-m': 'ignored',
  '--max-time': 'ignored',
  '--connect-timeout': 'ignored',
  '-w': 'ignored',
  '--write-out': 'ignored',
  '--retry': 'ignored',
  '--retry-delay': 'ignored',
  '--retry-max-time': 'ignored',
  '-x': 'ignored',
  '--proxy': 'ignored',
  // Mutual TLS: --cert names the client certificate; the others only describe its files or the CA.
  '-E': 'certificate',
  '--cert': 'certificate',
  '--key': 'tls-file',
  '--cert-type': 'tls-file',
  '--key-type': 'tls-file',
  '--pass': 'tls-file',
  '--cacert': 'tls-file',
  '--capath': 'tls-file',
  '-e': 'ignored',
  '--referer': 'ignored',
  '-b': 'ignored',
  '--cookie': 'ignored',
  '-c': 'ignored',
  '--cookie-jar': 'ignored',
  '-D': 'ignored',
  '--dump-header': 'ignored',
  '--resolve': 'ignored',
  '--connect-to': 'ignored',
  '--limit-rate': 'ignored',
};

const FLAGS: Record<string, Action> = {
  '-k': 'insecure',
  '--insecure': 'insecure',
  '-G': 'get',
  '--get': 'get',
  '-I': 'head',
  '--head': 'head',
  '--basic': 'flag',
  '-L': 'flag',
  '--location': 'flag',
  '-s': 'flag',
  '--silent': 'flag',
  '-S': 'flag',
  '--show-error': 'flag',
  '-v': 'flag',
  '--verbose': 'flag',
  '-i': 'flag',
  '--include': 'flag',
  '-f': 'flag',
  '--fail': 'flag',
  '--fail-with-body': 'flag',
  '--compressed': 'flag',
  '-N': 'flag',
  '--no-buffer': 'flag',
  '-g': 'flag',
  '--globoff': 'flag',
  '-#': 'flag',
  '--progress-bar': 'flag',
  '--no-progress-meter': 'flag',
  '--http1.0': 'flag',
  '--http1.1': 'flag',
  '--http2': 'flag',
  '--ssl-no-revoke': 'flag',
  '-4': 'flag',
  '-6': 'flag',
};

const KNOWN =
  'tokenman reads -X, -H, -u, -d, --data, --data-raw, --data-binary, --data-urlencode, -F, --json, --url, -G, -k, --cert and --key';

interface DataPart {
  action: 'data' | 'data-raw' | 'data-urlencode' | 'json';
  text: string;
  at: Position;
}

/** Reads a curl command (its words, `curl` first) into the request it would send. */
export function parseCurl(words: ShellWord[]): PasteResult {
  let method: string | undefined;
  let url: ShellWord | undefined;
  const headers: PastedField[] = [];
  let basicUser: PastedField | undefined;
  const data: DataPart[] = [];
  const form: PastedField[] = [];
  let dataInQuery = false;
  let insecure = false;
  let clientCertificate = false;
  const tlsOptions = new Set<string>();
  const notes: string[] = [];

  const twoUrls = 'a second URL; tokenman makes a spec from one token request';
  /** Records one option; returns why it cannot be read, if it cannot. */
  const apply = (
    action: Action,
    option: string,
    value: ShellWord | undefined,
    at: Position,
  ): { message: string; hint?: string } | undefined => {
    const text = value?.text ?? '';
    const where = value?.at ?? at;
    switch (action) {
      case 'request':
        method = text.toUpperCase();
        return;
      case 'head':
        method = 'HEAD';
        return;
      case 'header': {
        const header = parseHeader(text, where);
        if (header) headers.push(header);
        return;
      }
      case 'user-agent':
        headers.push({ name: 'User-Agent', value: text, at: where });
        return;
      case 'user':
        basicUser = { name: 'user', value: text, at: where };
        return;
      case 'data':
      case 'data-raw':
      case 'data-urlencode':
      case 'json':
        data.push({ action, text, at: where });
        return;
      case 'form':
      case 'form-string': {
        const field = parseFormPart(text, where, action === 'form');
        if (typeof field === 'string') return { message: field, hint: 'paste the value itself' };
        form.push(field);
        return;
      }
      case 'url':
        if (url) return { message: twoUrls };
        url = value;
        return;
      case 'get':
        dataInQuery = true;
        return;
      case 'insecure':
        insecure = true;
        return;
      case 'certificate':
        clientCertificate = true;
        tlsOptions.add(option);
        return;
      case 'tls-file':
        // Paths and passwords stay out of the spec: each user's files are their own.
        tlsOptions.add(option);
        return;
      case 'ignored':
        // Its value is not repeated: a certificate password or a proxy login may be in it.
        notes.push(`ignored ${option}: it does not change the token request`);
        return;
      case 'flag':
        return;
    }
    return undefined;
  };

  for (let index = 1; index < words.length; index += 1) {
    const word = words[index] as ShellWord;
    const { text } = word;
    if (!text.startsWith('-') || text === '-') {
      if (url) return fail(twoUrls, word.at);
      url = word;
      continue;
    }
    if (text.startsWith('--')) {
      const withValue = WITH_VALUE[text];
      const flag = FLAGS[text];
      if (!withValue && !flag) return unknownOption(text, word.at);
      let value: ShellWord | undefined;
      if (withValue) {
        value = words[index + 1];
        if (!value) return fail(`${text} needs a value`, word.at);
        index += 1;
      }
      const refused = apply((withValue ?? flag) as Action, text, value, word.at);
      if (refused) return fail(refused.message, value?.at ?? word.at, refused.hint);
      continue;
    }
    // Short options cluster (-sSLk) and take their value from the rest of the word (-XPOST, -d@f).
    for (let offset = 1; offset < text.length; offset += 1) {
      const option = `-${text[offset]}`;
      const at = { line: word.at.line, col: word.at.col + offset };
      const withValue = WITH_VALUE[option];
      const flag = FLAGS[option];
      if (!withValue && !flag) return unknownOption(option, at);
      if (flag) {
        apply(flag, option, undefined, at);
        continue;
      }
      let value: ShellWord | undefined;
      if (offset + 1 < text.length) {
        value = { text: text.slice(offset + 1), at: { line: at.line, col: at.col + 1 } };
      } else {
        value = words[index + 1];
        if (!value) return fail(`${option} needs a value`, at);
        index += 1;
      }
      const refused = apply(withValue as Action, option, value, at);
      if (refused) return fail(refused.message, value.at, refused.hint);
      break;
    }
  }

  const first = words[0] as ShellWord;
  if (!url) return fail('the curl command has no URL', first.at, 'paste the whole command, URL included');
  if (form.length > 0 && data.length > 0) {
    return fail('-F cannot be combined with -d (curl refuses it too)', (data[0] as DataPart).at);
  }
  if (data.some((part) => part.action === 'json')) {
    if (!headers.some((h) => h.name.toLowerCase() === 'content-type')) {
      headers.push({ name: 'Content-Type', value: 'application/json', at: url.at });
    }
  }
  const body = form.length > 0 ? ({ kind: 'form-data', fields: form } as const) : dataBody(data, headers);
  if ('problem' in body) return { ok: false, problem: body.problem };
  if (tlsOptions.size > 0) notes.push(tlsNote([...tlsOptions], clientCertificate));
  return {
    ok: true,
    value: {
      tool: 'curl',
      ...(method ? { method } : {}),
      url: url.text,
      urlAt: url.at,
      headers,
      ...(basicUser ? { basicUser } : {}),
      body,
      dataInQuery,
      insecure,
      ...(clientCertificate ? { clientCertificate } : {}),
      notes,
    },
  };
}

function tlsNote(options: string[], clientCertificate: boolean): string {
  const named = options.join(', ');
  if (!clientCertificate && options.every((option) => option === '--cacert' || option === '--capath')) {
    return `${named} not written: a private CA is trusted in Postman (Settings → Certificates → CA certificates) and in newman run (--ssl-extra-ca-certs)`;
  }
  return `${named} not written: certificate and key files are each user's own; ${CERTIFICATE_HOME}`;
}

function unknownOption(option: string, at: Position): PasteResult {
  if (option === '-T' || option === '--upload-file' || option === '-K' || option === '--config') {
    return fail(`${option} reads a file, which tokenman cannot see`, at, 'paste the values themselves');
  }
  return fail(`curl option ${option} is not one tokenman understands`, at, `remove it; ${KNOWN}`);
}

function parseHeader(text: string, at: Position): PastedField | undefined {
  const colon = text.indexOf(':');
  // `-H 'Name;'` sends an empty header; `-H 'Name:'` removes one curl would add.
  if (colon === -1) return text.endsWith(';') ? { name: text.slice(0, -1).trim(), value: '', at } : undefined;
  const value = text.slice(colon + 1).trim();
  return value === '' ? undefined : { name: text.slice(0, colon).trim(), value, at };
}

function parseFormPart(text: string, at: Position, readsFiles: boolean): PastedField | string {
  const equals = text.indexOf('=');
  if (equals <= 0) return '-F wants name=value';
  let value = text.slice(equals + 1);
  if (readsFiles && (value.startsWith('@') || value.startsWith('<'))) {
    return `-F ${text.slice(0, equals)}=${value[0]}… sends a file's content, which tokenman cannot see`;
  }
  // `;type=text/plain` only labels the part.
  if (readsFiles) value = value.replace(/;type=[^;]*$/, '');
  return { name: text.slice(0, equals), value, at };
}

/** curl joins every -d with `&`; the result is JSON when it says so or looks like it. */
function dataBody(
  parts: DataPart[],
  headers: PastedField[],
): PastedBody | { problem: { message: string; hint?: string; at: Position } } {
  if (parts.length === 0) return { kind: 'none' };
  for (const part of parts) {
    // `@file` for -d; `name@file` too for --data-urlencode, where an @ before any = names a file.
    const readsFile =
      part.action === 'data-urlencode'
        ? /^[^=@]*@/.test(part.text)
        : part.action !== 'data-raw' && part.text.startsWith('@');
    if (readsFile) {
      return {
        problem: {
          message: 'this data makes curl read a file, which tokenman cannot see',
          hint: 'paste the data itself',
          at: part.at,
        },
      };
    }
  }
  const joined = parts.map(encodedPart).join('&');
  const contentType = headers.find((h) => h.name.toLowerCase() === 'content-type')?.value.toLowerCase();
  const first = parts[0] as DataPart;
  const saysJson = contentType !== undefined && /[/+]json\b/.test(contentType);
  if (saysJson || /^\s*[{[]/.test(joined)) {
    try {
      return { kind: 'json', value: JSON.parse(joined), at: first.at };
    } catch {
      return {
        problem: {
          // Not the parser's message: it quotes the data, which may hold a secret.
          message: `the data is not valid JSON${saysJson ? ', though Content-Type says JSON' : ''}`,
          hint: 'fix the JSON, or send name=value pairs',
          at: first.at,
        },
      };
    }
  }
  const fields: PastedField[] = [];
  for (const part of parts) {
    for (const pair of encodedPart(part).split('&')) {
      if (pair === '') continue;
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      const value = equals === -1 ? '' : pair.slice(equals + 1);
      fields.push({ name: formDecode(name), value: formDecode(value), at: part.at });
    }
  }
  return { kind: 'urlencoded', fields };
}

/** What curl puts on the wire for one data option. */
function encodedPart(part: DataPart): string {
  if (part.action !== 'data-urlencode') return part.text;
  const equals = part.text.indexOf('=');
  if (equals === -1) return formEncode(part.text);
  const name = part.text.slice(0, equals);
  const value = formEncode(part.text.slice(equals + 1));
  return name === '' ? value : `${name}=${value}`;
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/** Form decoding, but leaving a malformed escape as written rather than failing. */
function formDecode(value: string): string {
  const spaced = value.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}
