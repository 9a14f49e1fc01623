import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { CLIENT_AUTHS, ENCODINGS, GRANTS } from '../init/init-choices.js';
import { DEFAULT_CONCURRENCY, DEFAULT_PER_HOST } from '../verify/verify-limits.js';
import { emptyFlag, explainError, type PathFlag } from './explain-error.js';
import { numericBounds } from './numeric-flags.js';
import { UsageError } from './usage-error.js';

// Commands import their handlers lazily so `--help` and `build` never load Newman or the server.
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const format = () =>
  new Option('--format <format>', 'text for people, json for machines')
    .choices(['text', 'json'])
    .default('text');
const json = () => new Option('--json', 'the same as --format json').implies({ format: 'json' });
const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * One exit point: a user's mistake (a bad flag, a folder that is not there, a full disk) prints one
 * sentence naming the flag and exits 1; anything else is a bug and prints its stack, exit 2.
 * `paths` are the command's flags that name files or folders, so an error on one names its flag.
 */
async function run(action: () => Promise<number>, paths: PathFlag[] = []): Promise<void> {
  try {
    const empty = emptyFlag(paths);
    if (empty) throw new UsageError(empty);
    process.exitCode = await action();
  } catch (error) {
    const sentence = explainError(error, paths);
    if (sentence !== undefined) {
      process.stderr.write(`tokenman: ${sentence}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(
        `tokenman: unexpected error (please report it):\n${(error as Error).stack ?? String(error)}\n`,
      );
      process.exitCode = 2;
    }
  }
}

const SPECS_FOLDER = 'the folder that holds your *.yaml specs';
const specsFlag = (value: string): PathFlag => ({ flag: '--specs', value, expects: SPECS_FOLDER });

const program = new Command('tokenman')
  .description(
    'Turns YAML specs of OAuth token endpoints into Postman collections and environments, and verifies them with Newman.',
  )
  .version(pkg.version)
  .showHelpAfterError();

program
  .command('build')
  .description('validate specs and write their collections and environments')
  .argument('[files...]', 'spec files (default: every spec in --specs)')
  .option('--out <dir>', 'output folder', 'dist')
  .option('--specs <dir>', 'folder of specs', 'specs')
  .option(
    '--check',
    'write nothing; exit 1 naming the files when the output folder is not what the specs build to',
  )
  .option('-w, --watch', 'rebuild each spec as it is saved, say what changed, keep going on errors')
  .option('-q, --quiet', 'print only problems')
  .addOption(format())
  .addOption(json())
  .action((files: string[], flags) =>
    run(
      async () => (await import('./commands/build.js')).buildCommand(files, flags),
      [
        specsFlag(flags.specs),
        {
          flag: '--out',
          value: flags.out,
          expects: 'a folder to write to (it is made if missing)',
          writes: true,
        },
      ],
    ),
  );

program
  .command('attach')
  .description(
    "put a spec's token into a Postman collection you keep: every request authorised, everything else kept",
  )
  .argument('<collection>', 'your Postman Collection v2.1 export (a .json file), never written to')
  .requiredOption('--spec <file>', 'the spec of the token: its token request and variables')
  .option('--out <dir>', 'where the collection and its environments go', 'attached')
  .option('-q, --quiet', 'print only problems')
  .addOption(format())
  .addOption(json())
  .action((collection: string, flags) =>
    run(
      async () => (await import('./commands/attach.js')).attachCommand(collection, flags),
      [
        { flag: '--spec', value: flags.spec, expects: 'a spec file' },
        {
          flag: '--out',
          value: flags.out,
          expects: 'a folder to write to (it is made if missing)',
          writes: true,
        },
      ],
    ),
  );

program
  .command('validate')
  .description('check specs without writing anything')
  .argument('[files...]', 'spec files (default: every spec in --specs)')
  .option('--specs <dir>', 'folder of specs', 'specs')
  .option('-q, --quiet', 'print only problems')
  .addOption(format())
  .addOption(json())
  .action((files: string[], flags) =>
    run(
      async () => (await import('./commands/validate.js')).validateCommand(files, flags),
      [specsFlag(flags.specs)],
    ),
  );

program
  .command('verify')
  .description(
    'run the generated collections with Newman (against the embedded token server unless credentials are given)',
  )
  .argument('[files...]', 'spec files whose collections to run (default: every spec in --specs)')
  .option(
    '--local',
    'verify against the embedded token server on 127.0.0.1 (the default without credentials)',
  )
  .option('--remote', 'verify against the real vendor with your values')
  .option(
    '--env-var <KEY=VALUE>',
    'set an environment variable (repeatable); never written to disk',
    collect,
    [],
  )
  .option('-e, --environment <file>', 'a Postman environment file with your values')
  .option(
    '--credentials <file>',
    "your vendor's JSON credentials file (an SAP service key, a Google key file); fills the variables whose specs say where they are in it",
  )
  .option(
    '-r, --reporter <names>',
    'Newman reporters: cli, junit, json (repeatable or comma-separated)',
    collect,
    [],
  )
  .option('--reporters-dir <dir>', 'where junit and json reports go', 'reports')
  .option('--variant <keys>', 'run only these variants (repeatable or comma-separated)', collect, [])
  .option(
    '--client <name>',
    'which client runs the files: postman (Newman), postman-cli (the Postman CLI: the v2.1 and the v3 files), bruno (bru run, needs @usebruno/cli), or all',
    'postman',
  )
  .option('-k, --insecure', 'turn off TLS certificate checks for every collection')
  .option(
    '--timeout-request <ms>',
    `per-request timeout in milliseconds, ${numericBounds('--timeout-request')}`,
    '30000',
  )
  .option('--concurrency <n>', `runs at once, ${numericBounds('--concurrency')}`, String(DEFAULT_CONCURRENCY))
  .option(
    '--per-host <n>',
    `runs at once against one token host, ${numericBounds('--per-host')}`,
    String(DEFAULT_PER_HOST),
  )
  .option(
    '--shard <i/n>',
    'run only part i of n of the runs (parallel CI jobs); reports go to shard-<i>-of-<n>/',
  )
  .option(
    '--operations <selection>',
    "the API document's operations to run, written as api.include: '{tags: [Users], operations: [listUsers]}' (repeatable; default: all locally, GET, HEAD and OPTIONS with their path parameters set remotely)",
    collect,
    [],
  )
  .option('--allow-writes', 'send operations that change data (POST, PUT, PATCH, DELETE) to the vendor')
  .option('--specs <dir>', 'folder of specs', 'specs')
  .option('--dist <dir>', 'folder of generated collections', 'dist')
  .option('-q, --quiet', 'print only failures and the total')
  .addOption(format())
  .addOption(json())
  .action((files: string[], flags) =>
    run(
      async () => (await import('./commands/verify.js')).verifyCommand(files, flags),
      [
        specsFlag(flags.specs),
        { flag: '--dist', value: flags.dist, expects: 'the folder tokenman build wrote' },
        {
          flag: '--reporters-dir',
          value: flags.reportersDir,
          expects: 'a folder for the reports (it is made if missing)',
          writes: true,
        },
        { flag: '-e', value: flags.environment, expects: 'a Postman environment file' },
        { flag: '--credentials', value: flags.credentials, expects: "your vendor's JSON credentials file" },
      ],
    ),
  );

program
  .command('environment')
  .description(
    "write a variant's Postman environment filled from your vendor's credentials file, for your own Postman (into .tokenman/, never dist/)",
  )
  .argument('<spec>', 'the spec file')
  .option('--variant <key>', 'the variant, for a spec with variants')
  .option(
    '--credentials <file>',
    "your vendor's JSON credentials file (an SAP service key, a Google key file)",
  )
  .option('--env-var <KEY=VALUE>', 'set a variable (repeatable); wins over the credentials file', collect, [])
  .option(
    '--out <path>',
    'where to write the environment (default .tokenman/<spec>[.<variant>].postman_environment.json)',
  )
  .option('--dist <dir>', 'the folder tokenman build writes, never written into', 'dist')
  .action((spec: string, flags) =>
    run(
      async () => (await import('./commands/environment.js')).environmentCommand(spec, flags),
      [
        { flag: '--credentials', value: flags.credentials, expects: "your vendor's JSON credentials file" },
        {
          flag: '--out',
          value: flags.out,
          expects: 'a path for the environment file (its folder is made if missing)',
          writes: true,
        },
      ],
    ),
  );

program
  .command('serve')
  .description(
    'start the embedded token server alone and print its test credentials, to try collections in Postman',
  )
  .argument('[files...]', 'spec files to register (default: every spec in --specs)')
  .option('--port <port>', `port on 127.0.0.1, ${numericBounds('--port')} (0: a free one)`, '0')
  .option('--specs <dir>', 'folder of specs', 'specs')
  .action((files: string[], flags) =>
    run(
      async () => (await import('./commands/serve.js')).serveCommand(files, flags),
      [specsFlag(flags.specs)],
    ),
  );

program
  .command('init')
  .description('make a new spec from a pasted curl or HTTPie command, from options, or by asking')
  .argument('[name]', 'the API name, e.g. "Acme API"; the file is specs/acme-api.yaml')
  .option('--from-curl <command>', 'the token request as a curl (or HTTPie) command; - reads it from stdin')
  .option('--url <url>', 'the token endpoint, when there is no command')
  .addOption(new Option('--grant <grant>', 'the OAuth grant').choices(GRANTS))
  .addOption(new Option('--client-auth <how>', 'how the client authenticates').choices(CLIENT_AUTHS))
  .addOption(new Option('--encoding <encoding>', 'how the parameters are sent').choices(ENCODINGS))
  .option('--scope <scope>', 'scopes to request, separated by spaces')
  .option('--specs <dir>', 'folder of specs', 'specs')
  .option('--file <path>', 'where to write the spec (default: <specs>/<name>.yaml)')
  .option('--force', 'replace a spec that exists')
  .option('--stdout', 'print the spec instead of writing it')
  .option('-y, --yes', 'never ask; what is not given takes its default')
  .option('--interactive', 'ask for what is missing even when stdin is not a terminal')
  .action((name: string | undefined, flags) =>
    run(
      async () => (await import('./commands/init.js')).initCommand(name, flags),
      [{ flag: '--file', value: flags.file, expects: 'a path for the new spec', writes: true }],
    ),
  );

program
  .command('schema')
  .description("print the spec's JSON Schema (for editors)")
  .action(() =>
    run(async () => {
      process.stdout.write(readFileSync(new URL('../../schema/spec.schema.json', import.meta.url), 'utf8'));
      return 0;
    }),
  );

await program.parseAsync(process.argv);
