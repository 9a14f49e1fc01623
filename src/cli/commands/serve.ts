import { findSpecFiles } from '../../spec/find-spec-files.js';
import { loadSpecs } from '../../spec/load-specs.js';
import { environmentName } from '../../targets/postman/generate-environment.js';
import { countErrors, printProblems } from '../print-problems.js';
import { UsageError } from '../usage-error.js';

export interface ServeFlags {
  specs: string;
  port: string;
}

/**
 * Starts the embedded token server with test credentials for every spec and prints them, so a person
 * can point Postman at it. The values are throwaway test credentials of this server, made anew at
 * each start, not anyone's secrets.
 */
export async function serveCommand(files: string[], flags: ServeFlags): Promise<number> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port takes 0-65535, got "${flags.port}"`);
  const { specs, problems } = await loadSpecs(files.length ? files : await findSpecFiles(flags.specs));
  await printProblems(problems, 'text');
  if (countErrors(problems)) return 1;
  const { startTokenServer } = await import('../../server/index.js');
  const { localSetup } = await import('../../verify/local-credentials.js');
  const server = await startTokenServer({ port });
  process.stdout.write(`tokenman token server on ${server.url} (Ctrl+C stops it)\n`);
  for (const spec of specs) {
    for (const variant of spec.variants) {
      const setup = localSetup(spec, variant, server.url);
      server.register(setup.client);
      process.stdout.write(`\n${environmentName(spec, variant)}\n`);
      for (const [key, value] of Object.entries(setup.values)) process.stdout.write(`  ${key} = ${value}\n`);
    }
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
