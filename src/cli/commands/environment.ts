// `tokenman environment`: the Postman environment of a variant filled from the vendor's credentials
// file (src/values/private-environment.ts); here only the flags are read and the result printed.
import { parseEnvVarFlags } from '../../values/environment-values.js';
import { TO_STDOUT, writePrivateEnvironment } from '../../values/private-environment.js';
import { printProblems } from '../print-problems.js';
import { UsageError } from '../usage-error.js';

export interface EnvironmentFlags {
  variant?: string;
  credentials?: string;
  envVar: string[];
  out?: string;
  dist: string;
}

export async function environmentCommand(specFile: string, flags: EnvironmentFlags): Promise<number> {
  if (flags.credentials === undefined) {
    throw new UsageError(
      "tokenman environment needs --credentials <file>, your vendor's JSON credentials file; the environment without values is in --dist already",
    );
  }
  const parsed = parseEnvVarFlags(flags.envVar);
  if ('error' in parsed) throw new UsageError(parsed.error);
  const result = await writePrivateEnvironment({
    specFile,
    variant: flags.variant,
    credentials: flags.credentials,
    values: parsed.values,
    out: flags.out,
    dist: flags.dist,
  });
  if ('error' in result) throw new UsageError(result.error);
  if ('problems' in result) {
    await printProblems(result.problems, 'text');
    return 1;
  }
  // With --out - standard output is the environment's alone, and what the user is told goes to stderr.
  const toStdout = flags.out === TO_STDOUT;
  if (result.stdout !== undefined) process.stdout.write(result.stdout);
  const say = toStdout ? process.stderr : process.stdout;
  if (result.notes.length)
    say.write(`${result.notes.map((note) => (toStdout ? `tokenman: ${note}` : note)).join('\n')}\n`);
  for (const warning of result.warnings) process.stderr.write(`tokenman: warning: ${warning}\n`);
  return 0;
}
