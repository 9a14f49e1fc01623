// Newman and bru take a client certificate only as files (Newman: a missing file is a mere console
// warning, and the request then goes out without a certificate). So tokenman writes the PEMs into a
// private folder of its own, with absolute paths, checked by being written, and removes it after
// the run, on a stop, and at exit; one a kill left behind is swept by the next run (reports.ts).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NewmanRunOptions } from 'newman';
import { createPrivateDir, removePrivateDir } from './reports.js';

/** What a run presents in the TLS handshake: PEM texts, and the token URL's host (with port). */
export interface ClientTls {
  cert: string;
  key: string;
  /** A CA to trust besides the system's (the embedded server's test CA); absent for a vendor. */
  ca?: string;
  host: string;
}

/** The written files, absolute paths in a folder only this user can read. */
export interface ClientTlsFiles {
  dir: string;
  cert: string;
  key: string;
  ca?: string;
  /** bru run's --client-cert-config file. */
  bruConfig: string;
  host: string;
}

export async function writeClientTlsFiles(tls: ClientTls): Promise<ClientTlsFiles> {
  const dir = await createPrivateDir('tls');
  try {
    const file = async (name: string, text: string) => {
      const path = join(dir, name);
      await writeFile(path, text, { mode: 0o600, flag: 'wx' });
      return path;
    };
    const cert = await file('client.crt', tls.cert);
    const key = await file('client.key', tls.key);
    const ca = tls.ca ? await file('ca.crt', tls.ca) : undefined;
    // @usebruno/cli 4.1.0 (commands/run.js): {enabled, certs: [{domain, type, certFilePath,
    // keyFilePath, passphrase}]}; domain is matched as a prefix after https://, so host with port.
    const bruConfig = await file(
      'client-certificates.json',
      JSON.stringify({
        enabled: true,
        certs: [{ domain: tls.host, type: 'cert', certFilePath: cert, keyFilePath: key, passphrase: '' }],
      }),
    );
    return { dir, cert, key, bruConfig, host: tls.host, ...(ca ? { ca } : {}) };
  } catch (error) {
    await removePrivateDir(dir);
    throw error;
  }
}

export function removeClientTlsFiles(files: ClientTlsFiles): Promise<void> {
  return removePrivateDir(files.dir);
}

/**
 * Newman's options for the files: the certificate for the token URL's host on any port (a pattern
 * without a port matches 443 only), and the test CA trusted besides the system's rather than TLS
 * checks turned off. Newman applies the list to the script's pm.sendRequest too.
 */
export function newmanTlsOptions(
  files: ClientTlsFiles,
): Pick<NewmanRunOptions, 'sslClientCertList' | 'sslExtraCaCerts'> {
  const hostname = new URL(`https://${files.host}`).hostname;
  const entry = {
    name: 'tokenman verify client certificate',
    matches: [`https://${hostname}:*/*`, `https://${hostname}/*`],
    key: { src: files.key },
    cert: { src: files.cert },
  };
  // The typings say string[]; Newman's runtime takes the entries themselves (options.js).
  return {
    sslClientCertList: [entry] as unknown as string[],
    ...(files.ca ? { sslExtraCaCerts: files.ca } : {}),
  };
}

/** bru run's flags for the files. */
export function bruTlsArgs(files: ClientTlsFiles): string[] {
  return ['--client-cert-config', files.bruConfig, ...(files.ca ? ['--cacert', files.ca] : [])];
}
