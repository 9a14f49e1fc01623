import path from 'node:path';
import { text } from 'node:stream/consumers';
import {
  CLIENT_AUTHS,
  type ClientAuth,
  ENCODINGS,
  type Encoding,
  GRANT_WORDS,
  type Grant,
} from '../../init/infer-spec.js';
import { COMMAND_LABEL, type InitResult, initSpec, URL_LABEL } from '../../init/init-spec.js';
import { writeNewSpec } from '../../init/write-new-spec.js';
import { processEnvNames } from '../../spec/environment-names.js';
import { formatProblem } from '../../spec/format-problem.js';
import type { Spec } from '../../spec/types.js';
import { type Asker, createAsker } from '../ask.js';
import { UsageError } from '../usage-error.js';

export interface InitFlags {
  fromCurl?: string;
  url?: string;
  grant?: Grant;
  clientAuth?: ClientAuth;
  encoding?: Encoding;
  scope?: string;
  specs: string;
  file?: string;
  force?: boolean;
  stdout?: boolean;
  yes?: boolean;
  interactive?: boolean;
}

interface Answers {
  name: string;
  command?: string;
  url?: string;
  grant?: Grant;
  clientAuth?: ClientAuth;
  encoding?: Encoding;
  scope?: string;
}

export async function initCommand(nameArgument: string | undefined, flags: InitFlags): Promise<number> {
  if (flags.fromCurl === '-' && process.stdin.isTTY) {
    process.stderr.write('Paste the command, then press Ctrl+D on a line of its own:\n');
  }
  const command = flags.fromCurl === '-' ? await text(process.stdin) : flags.fromCurl;
  // Asked only on a terminal (or when told to), never when stdin carried the command.
  const interactive =
    flags.fromCurl !== '-' && (flags.interactive === true || (process.stdin.isTTY === true && !flags.yes));
  const asker = interactive ? createAsker() : undefined;
  let answers: Answers;
  try {
    answers = await gather(nameArgument, command, flags, asker);
  } finally {
    asker?.close();
  }

  const file = flags.file ?? path.join(flags.specs, `${fileId(answers.name)}.yaml`);
  const result = initSpec({
    name: answers.name,
    file,
    ...(answers.command !== undefined ? { fromCommand: answers.command } : {}),
    ...(answers.url !== undefined ? { url: answers.url } : {}),
    ...(answers.grant ? { grant: answers.grant } : {}),
    ...(answers.clientAuth ? { clientAuth: answers.clientAuth } : {}),
    ...(answers.encoding ? { encoding: answers.encoding } : {}),
    ...(answers.scope ? { scope: answers.scope } : {}),
  });
  if (result.problems.length || !result.yaml || !result.spec) {
    printProblems(result);
    return 1;
  }

  if (flags.stdout) {
    process.stdout.write(result.yaml);
    for (const note of result.notes) process.stderr.write(`note: ${note}\n`);
    return 0;
  }
  const written = await writeNewSpec(file, result.yaml, flags.force === true);
  if (!written.ok) {
    throw new UsageError(
      written.reason === 'exists'
        ? `${file} already exists; pass --force to replace it, or choose another name or --file`
        : `cannot write ${file}: ${written.message}`,
    );
  }
  process.stdout.write(summary(file, result.spec, result.notes));
  return 0;
}

async function gather(
  nameArgument: string | undefined,
  command: string | undefined,
  flags: InitFlags,
  asker: Asker | undefined,
): Promise<Answers> {
  const name =
    nameArgument ?? (await asker?.ask('Name of the API (becomes the collection name)', { required: true }));
  if (!name)
    throw new UsageError('tokenman init needs a name: tokenman init "Acme API" --from-curl "curl …"');
  // A name that makes no file name is refused before any more questions.
  if (flags.file === undefined) fileId(name);
  const answers: Answers = { name, ...pick(flags) };
  if (command !== undefined) return { ...answers, command };
  if (flags.url !== undefined) answers.url = flags.url;
  else if (asker) {
    const reply = await asker.ask('Token endpoint URL, or paste the curl command', {
      required: true,
      multiline: true,
    });
    if (/^\s*\$?\s*(curl|https?|xhs?)(\.exe)?\s/.test(reply)) return { ...answers, command: reply };
    answers.url = reply;
  } else {
    throw new UsageError(
      'tokenman init needs the token request: --from-curl "curl …" (or - to read it from stdin), or --url <token endpoint>',
    );
  }
  // Without a command nothing says how the endpoint wants to be called, so ask what was not given.
  if (asker) {
    answers.grant ??=
      GRANT_WORDS.get(
        await asker.ask('Grant', { choices: [...GRANT_WORDS.keys()], default: 'client_credentials' }),
      ) ?? 'client_credentials';
    answers.clientAuth ??= (await asker.ask('Client authentication', {
      choices: CLIENT_AUTHS,
      default: 'basic',
    })) as ClientAuth;
    answers.encoding ??= (await asker.ask('Parameters sent as', {
      choices: ENCODINGS,
      default: 'urlencoded',
    })) as Encoding;
    answers.scope ??= await asker.ask('Scope (empty for none)');
  }
  return answers;
}

function pick(flags: InitFlags): Omit<Answers, 'name'> {
  return {
    ...(flags.grant ? { grant: flags.grant } : {}),
    ...(flags.clientAuth ? { clientAuth: flags.clientAuth } : {}),
    ...(flags.encoding ? { encoding: flags.encoding } : {}),
    ...(flags.scope !== undefined ? { scope: flags.scope } : {}),
  };
}

/** "SAP AI Core" → sap-ai-core: a valid spec id, since it names the output files. */
function fileId(name: string): string {
  const id = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!id) throw new UsageError(`cannot make a file name from "${name}"; pass --file specs/<name>.yaml`);
  return id;
}

function printProblems(result: InitResult): void {
  for (const problem of result.problems) {
    // No code frame of the command or the URL: the line may hold a secret. The spec has none.
    const source = problem.file === COMMAND_LABEL || problem.file === URL_LABEL ? undefined : result.yaml;
    process.stderr.write(`${formatProblem(problem, source)}\n`);
  }
}

function summary(file: string, spec: Spec, notes: string[]): string {
  const variant = spec.variants[0];
  const lines = [`created ${file}`];
  if (variant) {
    const { token } = variant;
    lines.push(
      `  token: ${token.method} ${token.url}, grant ${token.grant}, client auth ${token.clientAuth}, ${token.encoding}`,
    );
  }
  const described = spec.variables.map((v) =>
    v.secret ? `${v.name} (secret)` : v.default ? `${v.name} (default ${v.default})` : v.name,
  );
  lines.push(`  variables: ${described.join(', ')}`);
  for (const note of notes) lines.push(`  note: ${note}`);
  const toFill = spec.variables.filter((v) => !v.default && !v.optional);
  const quoted = /^[\w./-]+$/.test(file) ? file : `'${file.replace(/'/g, "'\\''")}'`;
  lines.push(
    'next: describe the API and add its requests in the spec, then',
    `  tokenman build ${quoted}`,
    `  tokenman verify ${quoted}            # against the embedded token server on 127.0.0.1`,
    `  ${[...toFill.map((v) => `${processEnvNames(spec.id, v.name)[0]}=…`), 'tokenman verify', quoted, '--remote'].join(' ')}`,
  );
  return `${lines.join('\n')}\n`;
}
