import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';

/** The embedded server with its mTLS listener, one client registered, and that client's files. */
export interface MtlsClient {
  server: TokenServer;
  /** PEM files: the server's CA, the client certificate and its key (0600). */
  ca: string;
  cert: string;
  key: string;
  /** Newman's client-certificate list for 127.0.0.1 on any port (a pattern without one matches 443). */
  certList: string;
  close(): Promise<void>;
}

/**
 * Starts the server, registers `clientId` for a certificate with subject CN=x509-client and writes
 * that certificate, as a user of an x509 service key holds it, into a folder of its own.
 */
export async function startMtlsClient(clientId: string): Promise<MtlsClient> {
  const server = await startTokenServer({ mtls: true });
  server.register({
    clientId,
    grants: ['client_credentials'],
    certificate: { subject: 'CN=x509-client' },
  });
  const dir = mkdtempSync(join(tmpdir(), 'tokenman-mtls-client-'));
  const issued = server.issueClientCertificate({ subject: 'x509-client' });
  const files = { ca: join(dir, 'ca.pem'), cert: join(dir, 'client.pem'), key: join(dir, 'client.key') };
  writeFileSync(files.ca, server.caCertificate ?? '');
  writeFileSync(files.cert, issued.cert);
  writeFileSync(files.key, issued.key, { mode: 0o600 });
  const certList = join(dir, 'certs.json');
  writeFileSync(
    certList,
    JSON.stringify([
      {
        name: 'x509 service key',
        matches: ['https://127.0.0.1:*/*'],
        key: { src: files.key },
        cert: { src: files.cert },
      },
    ]),
  );
  return {
    server,
    ...files,
    certList,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
