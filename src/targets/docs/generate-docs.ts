import type { Plan, RequestPlan, VariantPlan } from '../../plan/plan-spec.js';
import { type RequestFolder, requestTree } from '../../plan/request-folders.js';
import { jsonBodyText } from '../../plan/request-plan.js';
import type { ClientAuthPlan, DiscoveryPlan, Pair, TokenPlan } from '../../plan/token-plan.js';
import { preStepTemplates } from '../../plan/variables-used.js';
import { tokenmanPathSegments } from '../../sandbox/response-path.js';
import { upperSnake } from '../../spec/environment-names.js';
import { TOKEN_VARIABLES } from '../../spec/reserved-variables.js';
import { templateReferences } from '../../spec/template.js';
import type { Grant, PreStepDef, VariableDef } from '../../spec/types.js';
import { hereDocument, type ShellPart, shellWord, singleQuote } from './shell-quote.js';

// The Markdown document of one spec, for people who fetch the token without Postman: the same
// requests as the collection, as curl and HTTPie commands for bash or zsh. Every command sends what
// the collection's visible requests send (test/targets/docs/generate-docs.test.ts runs them against a
// server and compares), and no secret is ever written into it: secrets are read at a prompt.

type Names = ReadonlyMap<string, string>;

// Shell variables a spec variable must not become: special to bash or zsh (assigning zsh's USERNAME
// tries to change the user; TMOUT logs the shell out), or relied on by the shell, curl and HTTPie.
// A spec variable that would land on one gets MY_ in front (Username → MY_USERNAME).
const TAKEN_SHELL_NAMES = new Set(
  `ANSWER ARGV0 BASIC_ID BASIC_SECRET BAUD CDPATH CHILD_MAX COLUMNS CPUTYPE DIRSTACK DISPLAY EDITOR EGID EMACS ENV EPOCHREALTIME
  EPOCHSECONDS ERRNO EUID EXECIGNORE FCEDIT FIGNORE FPATH FUNCNAME GID GLOBIGNORE GROUPS HISTCHARS HISTCMD
  HISTCONTROL HISTFILE HISTFILESIZE HISTIGNORE HISTSIZE HISTTIMEFORMAT HOME HOST HOSTFILE HOSTNAME HOSTTYPE
  IFS IGNOREEOF INPUTRC KEYTIMEOUT LANG LANGUAGE LINENO LINES LISTMAX LOGNAME MACHTYPE MAIL MAILCHECK
  MAILPATH MANPATH NULLCMD OLDPWD OPTARG OPTERR OPTIND OSTYPE PAGER PATH PIPESTATUS POSIXLY_CORRECT PPID
  PROMPT PROMPT2 PROMPT3 PROMPT4 PROMPT_COMMAND PS0 PS1 PS2 PS3 PS4 PSVAR PWD RANDOM READNULLCMD REPLY
  RPROMPT RPS1 SAVEHIST SECONDS SHELL SHELLOPTS SHLVL SRANDOM STTY TERM TERMINFO TIMEFMT TIMEFORMAT TMOUT
  TMPDIR TMPPREFIX TTY TZ UID USER USERNAME VENDOR VISUAL WATCH WORDCHARS ZDOTDIR`.split(/\s+/),
);
const TAKEN_SHELL_PREFIX = /^(BASH|ZSH|COMP_|READLINE_|LC_|LD_|SSH_|XDG_|CURL_|HTTPIE_|SSL_)|PROXY$/;

/** Each variable's shell name: upper snake case, tokenman's own first (Token → TOKEN), each unique. */
function shellNames(plan: Plan): Names {
  const names = new Map<string, string>();
  const used = new Set(TAKEN_SHELL_NAMES);
  const add = (name: string) => {
    let base = upperSnake(name);
    if (used.has(base) || TAKEN_SHELL_PREFIX.test(base)) base = `MY_${base}`;
    let unique = base;
    for (let n = 2; used.has(unique); n++) unique = `${base}_${n}`;
    names.set(name, unique);
    used.add(unique);
  };
  for (const name of Object.values(TOKEN_VARIABLES)) add(name);
  for (const variable of plan.variables) add(variable.name);
  return names;
}

function shellName(names: Names, variable: string): string {
  return names.get(variable) ?? upperSnake(variable);
}

/** A template as shell parts: `{{Name}}` becomes the variable's expansion, the rest stays literal. */
function parts(names: Names, template: string): ShellPart[] {
  const result: ShellPart[] = [];
  let at = 0;
  for (const ref of templateReferences(template)) {
    if (ref.index > at) result.push({ text: template.slice(at, ref.index) });
    result.push({ variable: shellName(names, ref.name) });
    at = ref.index + ref.length;
  }
  if (at < template.length) result.push({ text: template.slice(at) });
  return result;
}

function word(names: Names, template: string): string {
  return shellWord(parts(names, template));
}

/** curl's `-H 'Name: value'` arguments. */
function curlHeaders(names: Names, headers: readonly Pair[]): string[] {
  return headers.map(([key, value]) => `-H ${word(names, `${key}: ${value}`)}`);
}

/** HTTPie's `Name:value` items. */
function httpieHeaders(names: Names, headers: readonly Pair[]): string[] {
  return headers.map(([key, value]) => word(names, `${key}:${value}`));
}

// ---- Markdown ----

/** Text on one line: headings, table cells and shell comments cannot hold a line break. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The longest run of backticks in a text: a fence around it must be longer. */
function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}

/** An inline code span that survives backticks in its text. */
function code(text: string): string {
  const fence = '`'.repeat(longestBacktickRun(text) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function cell(text: string): string {
  return oneLine(text).replaceAll('|', '\\|');
}

/**
 * Markdown prose from a spec for a table cell: `<device id>` would be read as an HTML tag and vanish,
 * so `<` is escaped outside code spans (inside them a backslash would show).
 */
function proseCell(text: string): string {
  return cell(text)
    .split(/(`+[^`]*?`+)/)
    .map((piece, index) => (index % 2 ? piece : piece.replaceAll('<', '\\<')))
    .join('');
}

/** A fenced shell block, its fence longer than any run of backticks inside. */
function shellBlock(lines: string[]): string {
  const text = lines.join('\n');
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
  return `${fence}sh\n${text}\n${fence}`;
}

/** The same request twice, for curl and for HTTPie. */
function curlAndHttpie(curl: string[], httpie: string[]): string[] {
  return ['With curl:', '', shellBlock(curl), '', 'With HTTPie:', '', shellBlock(httpie)];
}

// zsh without `setopt interactivecomments` runs a pasted `# …` line as a command, where `;`, `|`, `>`
// or a parenthesis would do something. So comments in the blocks are fixed text of plain words only;
// anything from the spec goes in the prose around them.
const SAFE_COMMENT = /^[A-Za-z0-9 .,:-]*$/;

function comment(text: string): string {
  if (!SAFE_COMMENT.test(text)) throw new Error(`unsafe shell comment: ${text}`);
  return `# ${text}`;
}

/** The command's arguments one per line, joined with line continuations. */
function command(head: string, args: string[], tail = ''): string[] {
  const lines = [head, ...args.map((arg) => `  ${arg}`)];
  return lines.map((line, index) => (index < lines.length - 1 ? `${line} \\` : `${line}${tail}`));
}

// ---- jq ----

const JQ_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function jqField(key: string): string {
  return JQ_IDENTIFIER.test(key) ? `.${key}` : `.[${JSON.stringify(key)}]`;
}

/**
 * A response path of the spec (`access_token`, `data.items[0].id`, `results[default=true].name`) as
 * a jq program that reads what the collection's script reads: `[key=value]` is the first array
 * element whose key, as text, equals value.
 */
function jqPath(path: string): string {
  let pipeline = '';
  let current = '';
  for (const segment of tokenmanPathSegments(path)) {
    if (segment.kind === 'key') current += jqField(segment.key);
    else if (segment.kind === 'index') current += `[${segment.index}]`;
    else {
      const elements = pipeline ? `${pipeline} | ${current || '.'}[]` : `${current || '.'}[]`;
      const test = `(${jqField(segment.key)} | tostring) == ${JSON.stringify(segment.value)}`;
      pipeline = `first(${elements} | select(${test}))`;
      current = '';
    }
  }
  return pipeline ? (current ? `${pipeline} | ${current}` : pipeline) : current || '.';
}

/** Words for the filters of a path, for the reader who wants to check by eye. */
function describeFilters(path: string): string[] {
  const sentences: string[] = [];
  let before = '';
  for (const segment of tokenmanPathSegments(path)) {
    if (segment.kind === 'match') {
      sentences.push(
        `${code(before + segment.text)} is the first element of ${code(before)} whose ${code(segment.key)} is ${code(segment.value)}.`,
      );
    }
    before += segment.kind !== 'key' || !before ? segment.text : `.${segment.text}`;
  }
  return sentences;
}

// ---- the token request, as the collection builds it ----

// HTTPie splits `key=value` at the first separator it finds and reads `\` before one as an escape;
// spec parameter names are escaped so a name holding one stays one name (values are taken as they are).
function httpieKey(key: string, json: boolean): string {
  return key.replace(json ? /[:=@;[\]\\]/g : /[:=@;\\]/g, '\\$&');
}

interface Command {
  /** The lines of the command, ready for a shell block. */
  lines: string[];
  /** Whether it ends with a here-document (so anything closing it goes on a line of its own). */
  heredoc: boolean;
}

/** A curl command; `tail` ends its last argument line (`| jq …`), before any here-document. */
function curlCommand(options: {
  flags: string[];
  url: string;
  args: string[];
  body?: ShellPart[] | undefined;
  tail?: string;
}): Command {
  const head = ['curl', ...options.flags, options.url].join(' ');
  const args = [...options.args];
  if (!options.body) return { lines: command(head, args, options.tail ?? ''), heredoc: false };
  // --data-binary sends the here-document as it is; -d would drop its line breaks.
  const doc = hereDocument(options.body);
  args.push(`--data-binary @- ${doc.redirect}`);
  return { lines: [...command(head, args, options.tail ?? ''), ...doc.lines], heredoc: true };
}

function tokenCurl(names: Names, plan: TokenPlan, silent: boolean, tail = ''): Command {
  const { params } = plan;
  const flags = [...(silent ? ['-sS'] : []), ...(plan.insecure ? ['-k'] : [])];
  if (plan.encoding === 'query') flags.push('-G');
  if (plan.method !== 'POST' && plan.encoding !== 'query') flags.push('-X', plan.method);
  if (plan.method === 'POST' && plan.encoding === 'query') flags.push('-X', 'POST');
  const args = curlHeaders(names, plan.headers);
  if (plan.clientAuth.kind === 'basic') args.push(`-u ${basicCredentials(names, plan.clientAuth)}`);
  let body: ShellPart[] | undefined;
  switch (plan.encoding) {
    case 'urlencoded':
    case 'query':
      // curl encodes the value after `=` but takes the name as it is, so the name is encoded here.
      for (const [key, value] of params) {
        args.push(`--data-urlencode ${word(names, `${encodeURIComponent(key)}=${value}`)}`);
      }
      break;
    case 'form-data':
      // --form-string, not -F: -F reads a value that starts with @ or < from a file.
      for (const [key, value] of params) args.push(`--form-string ${word(names, `${key}=${value}`)}`);
      break;
    case 'json':
      body = parts(names, jsonBodyText(Object.fromEntries(params)));
      break;
  }
  return curlCommand({ flags, url: word(names, plan.url), args, body, tail });
}

function tokenHttpie(names: Names, plan: TokenPlan): Command {
  const flags: string[] = [];
  if (plan.insecure) flags.push('--verify=no');
  if (plan.encoding === 'urlencoded') flags.push('--form');
  if (plan.encoding === 'form-data') flags.push('--multipart');
  if (plan.clientAuth.kind === 'basic') flags.push(`-a ${basicCredentials(names, plan.clientAuth)}`);
  const head = ['http', ...flags, plan.method, word(names, plan.url)].join(' ');
  // HTTPie sets the Content-Type of --form, --multipart and JSON itself.
  const args = httpieHeaders(names, plan.acceptAndOwnHeaders);
  const separator = plan.encoding === 'query' ? '==' : '=';
  for (const [key, value] of plan.params) {
    args.push(word(names, `${httpieKey(key, plan.encoding === 'json')}${separator}${value}`));
  }
  return { lines: command(head, args), heredoc: false };
}

// ---- sections ----

/** A short placeholder from a description: its first clause, inside <…>. */
function placeholder(variable: VariableDef): string {
  const description = oneLine(variable.description);
  if (!description) return `<${variable.name}>`;
  const cut = description.search(/;\s|\s\(|,\s|\.\s/);
  return `<${cut > 0 ? description.slice(0, cut) : description}>`;
}

function variablesSection(variables: VariableDef[], names: Names): string[] {
  const rows = variables.map((v) => {
    const defaultCell = v.default ? code(v.default) : v.optional && !v.secret ? '(empty)' : '';
    const secret = v.secret ? 'yes' : 'no';
    const description = [v.description, v.optional ? '(optional)' : ''].filter(Boolean).join(' ');
    return `| ${code(v.name)} | ${code(shellName(names, v.name))} | ${cell(defaultCell)} | ${secret} | ${proseCell(description)} |`;
  });
  const exports: string[] = [];
  const secrets: string[] = [];
  for (const v of variables) {
    const name = shellName(names, v.name);
    if (v.secret) {
      // Never given a value: read at a prompt that does not echo, so it stays out of the screen and
      // the shell history, and not exported, so only this shell sees it.
      const prompt = `${v.name}${v.optional ? ' (optional, Enter for none)' : ''}: `;
      secrets.push(`printf ${singleQuote(prompt)}; read -rs ${name}; echo`);
    } else if (v.default) {
      exports.push(`export ${name}=${singleQuote(v.default)}`);
    } else {
      exports.push(`export ${name}=${singleQuote(v.optional ? '' : placeholder(v))}`);
    }
  }
  const lines = secrets.length
    ? [...exports, comment('Secrets: typed at the prompt, not shown, not exported'), ...secrets]
    : exports;
  const renamed = variables
    .filter((v) => shellName(names, v.name) !== upperSnake(v.name))
    .map((v) => `${code(shellName(names, v.name))} rather than ${code(upperSnake(v.name))}`);
  const notes = renamed.length
    ? [
        '',
        `Where the plain shell name is taken by bash, zsh, a tool or another variable, the docs use another: ${renamed.join(', ')}.`,
      ]
    : [];
  const optional = variables.some((v) => v.optional) ? '; an optional variable may stay empty' : '';
  return [
    '## Variables',
    '',
    '| variable | shell | default | secret | description |',
    '|---|---|---|---|---|',
    ...rows,
    ...notes,
    '',
    `Set them in your shell, replacing each \`<…>\` with your own value${optional}. Secrets are typed at a prompt that does not show them, so they never appear on screen, in your shell history or in a file; they are not exported, so only this shell sees them.`,
    '',
    shellBlock(lines),
  ];
}

function preStepSection(names: Names, step: PreStepDef, insecure: boolean): string[] {
  const flags = insecure ? ['-k'] : [];
  const args = curlHeaders(names, step.headers);
  const method = step.method === 'GET' ? [] : ['-X', step.method];
  const url = word(names, step.url);
  const look = command(['curl', ...flags, ...method, url].join(' '), args);
  const targets = step.set.map(([variable, path]) => ({ name: shellName(names, variable), path }));
  const setLines: string[] = [];
  const fetch = command(['curl', '-sS', ...flags, ...method, url].join(' '), args);
  const first = targets[0];
  if (targets.length === 1 && first) {
    setLines.push(
      ...fetch.map((line, index) => (index === 0 ? `${first.name}=$(${line}` : line)),
      `  | jq -r ${singleQuote(jqPath(first.path))})`,
    );
    // The continuation before the pipe: the last fetch line had none.
    const last = setLines.length - 2;
    setLines[last] = `${setLines[last]} \\`;
  } else {
    setLines.push(...fetch.map((line, index) => (index === 0 ? `ANSWER=$(${line}` : line)));
    setLines[setLines.length - 1] += ')';
    for (const target of targets) {
      setLines.push(`${target.name}=$(printf '%s' "\${ANSWER}" | jq -r ${singleQuote(jqPath(target.path))})`);
    }
  }
  const block = step.unless
    ? [`if [ -z "\${${shellName(names, step.unless)}}" ]; then`, ...setLines.map((line) => `  ${line}`), 'fi']
    : setLines;
  const sets = step.set.map(([variable, path]) => `${code(shellName(names, variable))} is ${code(path)}`);
  const filters = step.set.flatMap(([, path]) => describeFilters(path));
  const unless = step.unless
    ? `; it is skipped when ${code(shellName(names, step.unless))} already has a value (set it yourself to choose)`
    : '';
  const them = step.set.length > 1 ? 'them' : 'it';
  return [
    `### ${oneLine(step.name)}`,
    '',
    `This runs before the token request${unless}. See what it answers:`,
    '',
    shellBlock(look),
    '',
    `From that answer, ${sets.join(' and ')}${filters.length ? `: ${filters.join(' ')}` : '.'} To set ${them} (needs jq):`,
    '',
    shellBlock(block),
  ];
}

/** How the token URL is found when the spec names the issuer's discovery document instead. */
function discoverySection(names: Names, discovery: DiscoveryPlan, insecure: boolean): string[] {
  const head = ['curl', ...(insecure ? ['-k'] : [])];
  const url = word(names, discovery.url);
  const endpoint = shellName(names, TOKEN_VARIABLES.endpoint);
  // jq's // takes the first field present, as the collection's script does.
  const jq = discovery.fields.map(jqPath).join(' // ');
  const fields = discovery.fields.map(code).join(', or else ');
  return [
    '### The token endpoint, from the discovery document',
    '',
    `The token URL is the one the issuer's OpenID Connect discovery document names in ${fields}. See the document:`,
    '',
    shellBlock([[...head, url].join(' ')]),
    '',
    `To keep the token URL in ${code(endpoint)} (needs jq):`,
    '',
    shellBlock([`${endpoint}=$(${[...head, '-sS', url].join(' ')} | jq -r ${singleQuote(jq)})`]),
  ];
}

const GRANT_WORDS: Record<Grant, string> = {
  client_credentials: 'the client credentials grant',
  password: 'the password grant',
  refresh_token: 'the refresh token grant',
  'urn:ietf:params:oauth:grant-type:jwt-bearer': 'the JWT-bearer grant (RFC 7523)',
  'urn:ietf:params:oauth:grant-type:token-exchange': 'the token exchange grant (RFC 8693)',
  api_key: 'the api_key grant',
};

function tokenWords(variables: VariableDef[], names: Names, plan: TokenPlan): string {
  const where = plan.encoding === 'query' ? 'query' : 'body';
  const auth = {
    basic: 'the client authenticates with HTTP Basic',
    body: `the client id and secret go in the ${where}`,
    // A JWT-bearer grant often sends no client id at all: the assertion's issuer is the client.
    none: plan.params.some(([name]) => name === 'client_id')
      ? `a public client: only its id goes in the ${where}, no secret`
      : 'no client authentication: the assertion says who the client is',
    tls: `the client id goes in the ${where} and the client certificate at the TLS layer (add curl's --cert and --key)`,
    client_secret_jwt: `the client id and a client assertion signed with the client secret go in the ${where}`,
    private_key_jwt: `the client id and a client assertion signed with a private key go in the ${where}`,
  }[plan.clientAuth.kind];
  const encoding = {
    urlencoded: 'form-urlencoded',
    'form-data': 'as multipart form-data',
    json: 'as a JSON object',
    query: `in the query string of a ${plan.method}`,
  }[plan.encoding];
  const uses = variablesOfToken(variables, names, plan).map(code);
  const sentences = [
    `${plan.method} to the token endpoint with ${GRANT_WORDS[plan.grant]}, the parameters ${encoding}; ${auth}.`,
    `It uses ${uses.join(', ')}.`,
  ];
  if (plan.assertion?.source === 'sign') {
    sentences.push(
      "The assertion is a JWT the collection's script signs as it sends the request; curl and HTTPie cannot sign one, so put in its place a JWT made with your vendor's tools.",
    );
  }
  if (plan.encoding === 'json') {
    sentences.push(
      'curl inserts each value as it is, as Postman does: a value holding `"` or `\\` must be written JSON-escaped. HTTPie\'s `key=value` escapes by itself.',
    );
  }
  if (plan.insecure) {
    sentences.push(
      'The endpoint usually has a self-signed certificate, so TLS checks are off (`-k`, `--verify=no`); drop them if yours has a trusted one.',
    );
  }
  if (plan.grant === 'refresh_token') {
    sentences.push(
      `${code(shellName(names, TOKEN_VARIABLES.refresh))} is the \`refresh_token\` of an earlier token answer.`,
    );
  }
  return sentences.join(' ');
}

// Shell variables holding the RFC 6749 form of the client id and secret (see rfcBlock).
const BASIC_ID = 'BASIC_ID';
const BASIC_SECRET = 'BASIC_SECRET';

type BasicAuth = Extract<ClientAuthPlan, { kind: 'basic' }>;

/** The `user:password` word of curl -u and HTTPie -a. */
function basicCredentials(names: Names, auth: BasicAuth): string {
  if (auth.encoding === 'rfc6749')
    return shellWord([{ variable: BASIC_ID }, { text: ':' }, { variable: BASIC_SECRET }]);
  return word(names, `${auth.id}:${auth.secret}`);
}

/**
 * RFC 6749 section 2.3.1 form-urlencodes the id and secret before Basic encoding; curl -u and HTTPie -a
 * send them raw. jq's @uri encodes all but letters, digits and -._~, which a form decoder reads back as
 * the script's encoding. The values go through stdin, so a secret never shows in the process list.
 */
function rfcBlock(names: Names, auth: BasicAuth): string[] {
  return [
    comment('RFC 6749 section 2.3.1: the client id and secret go form-urlencoded into Basic'),
    `${BASIC_ID}=$(printf '%s' ${word(names, auth.id)} | jq -sRr @uri)`,
    `${BASIC_SECRET}=$(printf '%s' ${word(names, auth.secret)} | jq -sRr @uri)`,
  ];
}

/** The shell variables a variant's token request and pre-steps read, in the spec's order. */
function variablesOfToken(variables: VariableDef[], names: Names, plan: TokenPlan): string[] {
  const templates = [
    plan.url,
    plan.discovery?.url ?? '',
    ...plan.headers.flat(),
    ...plan.params.flat(),
    ...preStepTemplates(plan.preSteps),
  ];
  if (plan.clientAuth.kind === 'basic') templates.push(plan.clientAuth.id, plan.clientAuth.secret);
  const used = new Set(templates.flatMap((t) => templateReferences(t).map((ref) => ref.name)));
  return variables.filter((v) => used.has(v.name)).map((v) => shellName(names, v.name));
}

function variantSection(spec: Plan, names: Names, variant: VariantPlan): string[] {
  const plan = variant.token;
  const { tokenPath } = plan.response;
  const title = spec.variants.length > 1 ? `Get a token (${oneLine(variant.name)})` : 'Get a token';
  const lines = [`## ${title}`, ''];
  if (variant.description) lines.push(variant.description.trim(), '');
  const overrides = spec.variables.filter(
    (v) => !v.secret && (variant.defaults[v.name] ?? v.default) !== v.default,
  );
  if (overrides.length) {
    lines.push(
      'This variant has its own defaults:',
      '',
      shellBlock(
        overrides.map(
          (v) => `export ${shellName(names, v.name)}=${singleQuote(variant.defaults[v.name] ?? '')}`,
        ),
      ),
      '',
    );
  }
  for (const step of plan.preSteps) lines.push(...preStepSection(names, step, plan.insecure), '');
  if (plan.discovery) lines.push(...discoverySection(names, plan.discovery, plan.insecure), '');
  if (plan.preSteps.length || plan.discovery) lines.push('### The token request', '');
  const keep = tokenCurl(names, plan, true, ` | jq -r ${singleQuote(jqPath(tokenPath))}`);
  const keepLines = [...keep.lines.map((line, i) => (i === 0 ? `TOKEN=$(${line}` : line))];
  // The command substitution closes after the here-document when there is one.
  if (keep.heredoc) keepLines.push(')');
  else keepLines[keepLines.length - 1] += ')';
  const tokenField =
    tokenPath === 'access_token'
      ? `its ${code('access_token')}`
      : `${code(tokenPath)}${tokenPath === 'id_token' ? ', not the access token' : ''}`;
  lines.push(
    tokenWords(spec.variables, names, plan),
    '',
    ...(plan.clientAuth.kind === 'basic' && plan.clientAuth.encoding === 'rfc6749'
      ? [
          `This endpoint wants the client id and secret form-urlencoded before they go into the Basic credentials (RFC 6749, section 2.3.1), which curl's ${code('-u')} and HTTPie's ${code('-a')} do not do by themselves. Encode them first (needs jq):`,
          '',
          shellBlock(rfcBlock(names, plan.clientAuth)),
          '',
        ]
      : []),
    ...curlAndHttpie(tokenCurl(names, plan, false).lines, tokenHttpie(names, plan).lines),
    '',
    `The answer is JSON; the token to send is ${tokenField}. To keep it in ${code('TOKEN')} for the requests below, run this instead (needs jq):`,
    '',
    shellBlock(keepLines),
  );
  return lines;
}

function requestSection(names: Names, plans: TokenPlan[], request: RequestPlan): string[] {
  const insecure = plans.some((plan) => plan.insecure);
  const own = request.headers.filter((header) => header.enabled).map((h): Pair => [h.name, h.value]);
  const headers: Pair[] = [['Authorization', `Bearer {{${TOKEN_VARIABLES.token}}}`], ...own];
  const body = request.body ? parts(names, request.body.text) : undefined;

  const flags = insecure ? ['-k'] : [];
  const implied = request.body ? 'POST' : 'GET';
  if (request.method === 'HEAD') flags.push('--head');
  else if (request.method !== implied) flags.push('-X', request.method);
  const curl = curlCommand({
    flags,
    url: word(names, request.url),
    args: curlHeaders(names, headers),
    body,
  });

  const httpieHead = ['http', ...(insecure ? ['--verify=no'] : []), request.method, word(names, request.url)];
  const httpieArgs = httpieHeaders(names, headers);
  let httpie: string[];
  if (body) {
    // The body goes in on stdin, as it is; HTTPie's key=value items could not say every JSON value.
    const doc = hereDocument(body);
    httpie = [...command(httpieHead.join(' '), httpieArgs, ` ${doc.redirect}`), ...doc.lines];
  } else {
    httpie = command(httpieHead.join(' '), httpieArgs);
  }

  const expect =
    request.expect === null
      ? 'With a good token it answers 2xx.'
      : `With a good token it answers HTTP ${request.expect}.`;
  const lines = [`## ${oneLine(request.name)}`, ''];
  if (request.description) lines.push(request.description.trim(), '');
  const tls = insecure ? ' TLS checks are off, as for the token request (`-k`, `--verify=no`).' : '';
  lines.push(
    `Needs ${code('TOKEN')} from "Get a token". ${expect}${tls}`,
    '',
    ...curlAndHttpie(curl.lines, httpie),
  );
  return lines;
}

/** A request's URL with each path variable written `{name}`, as a reader fills it in. */
function urlWithParameters(request: RequestPlan): string {
  const names = new Set(request.pathVariables.map((variable) => variable.name));
  return request.url.replace(/\/:([^/?#]+)/g, (whole, name: string) =>
    names.has(name) ? `/{${name}}` : whole,
  );
}

/** A request of a folder in one table row: its name, method and URL, and whether it takes the token. */
function operationRow(request: RequestPlan): string {
  const path = urlWithParameters(request);
  const token = request.auth === 'none' ? 'no' : 'yes';
  return `| ${proseCell(request.name)} | ${request.method} | ${code(path)} | ${token} |`;
}

/** A folder's requests as a table, then its folders', each under its names from the top. */
function folderSection(folder: RequestFolder): string[] {
  const requests = folder.entries.flatMap((entry) => (entry.request ? [entry.request] : []));
  const lines: string[] = [];
  if (requests.length)
    lines.push(
      `### ${oneLine(folder.path.join(' / '))}`,
      '',
      '| Request | Method | URL | Token |',
      '|---|---|---|---|',
      ...requests.map(operationRow),
      '',
    );
  for (const entry of folder.entries) if (entry.folder) lines.push(...folderSection(entry.folder));
  return lines;
}

/**
 * The requests in folders (the operations of the spec's API document), in brief: the collections
 * send them with their path variables and query parameters filled from the environment.
 */
function foldersSection(folders: RequestFolder[]): string[] {
  const lines = [
    '## API operations',
    '',
    `The collections hold these requests too, in a folder each. Send them from Postman or Bruno, which fill their path variables from the environment; with curl, put each ${code('{parameter}')} and variable of the URL in and add ${code('-H "Authorization: Bearer $TOKEN"')} to those that take the token.`,
    '',
  ];
  for (const folder of folders) lines.push(...folderSection(folder));
  while (lines.at(-1) === '') lines.pop();
  return lines;
}

function lifetimeSection(plans: TokenPlan[]): string[] {
  const paths = [...new Set(plans.map((plan) => plan.response.expiresInPath))];
  const fields = paths.map((path) => code(path)).join(' or ');
  return [
    '## Token lifetime',
    '',
    `Tokens expire after ${fields} seconds (a field of the token answer). When a request answers 401, get a new token with the command that sets ${code('TOKEN')}. The Postman collection renews them by itself.`,
  ];
}

/**
 * The Markdown document of a spec (`dist/<id>.md`): variables, the token request of each variant
 * with its pre-steps, and each example request, as curl and HTTPie commands. Deterministic: the same
 * spec gives the same bytes (LF line ends, a final newline).
 */
export function generateDocs(spec: Plan): string {
  const names = shellNames(spec);
  const sections: string[][] = [];
  const intro = [`# ${oneLine(spec.name)}`, ''];
  if (spec.description.trim()) intro.push(spec.description.trim(), '');
  intro.push(
    `Generated by tokenman from ${code(spec.source)}: change the spec and rebuild rather than editing this file. ${code(`${spec.id}.postman_collection.json`)} beside it sends the same requests from Postman and fetches the token by itself.`,
    '',
    'The commands are for bash or zsh (in zsh, `setopt interactivecomments` first, so that the `#` lines paste as comments). They need curl, and jq to keep the token; each curl command is also given for HTTPie (`http`).',
  );
  sections.push(intro, variablesSection(spec.variables, names));
  if (spec.variants.length > 1) {
    const list = spec.variants.map((variant) => oneLine(variant.name)).join(', ');
    sections.push([
      `There are ${spec.variants.length} ways to get a token (${list}): use the one for your setup.`,
    ]);
  }
  const plans = spec.variants.map((variant) => variant.token);
  for (const variant of spec.variants) sections.push(variantSection(spec, names, variant));
  // The spec's own requests in full; the requests in folders (an API document's) in brief.
  const tree = requestTree(spec.requests);
  for (const entry of tree) if (entry.request) sections.push(requestSection(names, plans, entry.request));
  const folders = tree.flatMap((entry) => (entry.folder ? [entry.folder] : []));
  if (folders.length) sections.push(foldersSection(folders));
  sections.push(lifetimeSection(plans));
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}
