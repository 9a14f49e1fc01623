import { findSpecFiles } from '../../spec/find-spec-files.js';
import { loadSpecs } from '../../spec/load-specs.js';
import { countErrors } from '../../spec/problem.js';
import { type OutputFormat, printProblems, problemsJson } from '../print-problems.js';

export interface ValidateFlags {
  specs: string;
  format: OutputFormat;
  quiet?: boolean;
}

export async function validateCommand(files: string[], flags: ValidateFlags): Promise<number> {
  const targets = files.length ? files : await findSpecFiles(flags.specs);
  const { specs, problems } = await loadSpecs(targets);
  const errors = countErrors(problems);
  if (flags.format === 'json') {
    process.stdout.write(
      `${JSON.stringify({ valid: errors === 0, files: targets, ...problemsJson(problems) }, null, 2)}\n`,
    );
    return errors ? 1 : 0;
  }
  await printProblems(problems, 'text');
  if (!flags.quiet && errors === 0) process.stdout.write(`${specs.length} spec(s) valid\n`);
  return errors ? 1 : 0;
}
