import { environmentName } from '../../plan/environment-plan.js';
import { findSpecFiles } from '../../spec/find-spec-files.js';
import { loadSpecs } from '../../spec/load-specs.js';
import { countErrors } from '../../spec/problem.js';
import type { ClientTlsFiles } from '../../verify/client-certificate-files.js';
import { numericFlag } from '../numeric-flags.js';
import { printProblems } from '../print-problems.js';
import { UsageError } from '../usage-error.js';

export interface ServeFlags {
  specs: string;
  port: string;
}

/** Why the system would not let the server listen on the port, as the user's mistake, or undefined. */
function portRefusal(error: unknown, port: number): UsageError | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new UsageError(
      `--port ${port} is in use by another program on 127.0.0.1; give another port, or 0 for a free one`,
    );
  if (code === 'EACCES')
    return new UsageError(
      `--port ${port} may not be opened by this user (ports below 1024 need root); give a port from 1024, or 0 for a free one`,
    );
  return undefined;
}

/**
 * Starts the embedded token server with test credentials for every spec and prints them, so a person
 * can point Postman at it. The values are throwaway test credentials of this server, made anew at
 * each start, not anyone's secrets.
 */
export async function serveCommand(files: string[], flags: ServeFlags): Promise<number> {
  const port = numericFlag('--port', flags.port);
  const { specs, problems } = await loadSpecs(files.length ? files : await findSpecFiles(flags.specs));
  await printProblems(problems, 'text');
  if (countErrors(problems)) return 1;
  const { startTokenServer } = await import('../../server/index.js');
  const { localSetup, usesClientCertificate } = await import('../../verify/local-credentials.js');
  const { localApi } = await import('../../verify/local-api.js');
  const { writeClientTlsFiles, removeClientTlsFiles } = await import(
    '../../verify/client-certificate-files.js'
  );
  // Private folders a killed run left behind (client keys) go before new ones are made.
  await (await import('../../verify/reports.js')).sweepStalePrivateDirs();
  // The listener that asks for client certificates, only when a variant presents one.
  const mtls = specs.some((spec) => spec.variants.some(usesClientCertificate));
  const server = await startTokenServer({ port, ...(mtls ? { mtls: true } : {}) }).catch((error) => {
    throw portRefusal(error, port) ?? error;
  });
  const written: ClientTlsFiles[] = [];
  try {
    process.stdout.write(`tokenman token server on ${server.url} (Ctrl+C stops it)\n`);
    for (const spec of specs) {
      for (const variant of spec.variants) {
        const setup = localSetup(spec, variant, server.url, '', server);
        server.register(setup.client);
        // Contract mode: the client's API calls are held to the spec's API document.
        const api = await localApi(spec, setup.values);
        if (api) server.holdToApi(setup.client.clientId, api.contract);
        process.stdout.write(`\n${environmentName(spec, variant)}\n`);
        const pems = new Set([setup.tls?.cert, setup.tls?.key]);
        for (const [key, value] of Object.entries({ ...setup.values, ...api?.values })) {
          // A client certificate is set up as files in Postman and Bruno: its PEMs are named by file below.
          process.stdout.write(`  ${key} = ${pems.has(value) ? '(the file below)' : value}\n`);
        }
        if (setup.tls && server.mtlsUrl) {
          const host = new URL(server.mtlsUrl).host;
          const files = await writeClientTlsFiles({ ...setup.tls, host });
          written.push(files);
          process.stdout.write(
            `  client certificate for ${host} (Postman: Settings → Certificates): CRT file ${files.cert}, KEY file ${files.key}; the server's CA (Settings → Certificates → CA certificates): ${files.ca}\n`,
          );
        }
      }
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  } finally {
    await Promise.all(written.map(removeClientTlsFiles));
    await server.close();
  }
  return 0;
}
