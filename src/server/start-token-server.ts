import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ApiContracts } from './api-contract/api-contracts.js';
import { ReplayGuard } from './assertion-replay.js';
import {
  type CertificateAndKey,
  createCertificateAuthority,
  issueClientCertificate,
  issueServerCertificate,
} from './certificates.js';
import { ClientRegistry } from './client-registry.js';
import { ServerClock } from './clock.js';
import { FaultBoard } from './faults.js';
import { createRequestHandler, type ServerState } from './handle-request.js';
import { IssuedTokens } from './issued-tokens.js';
import { createJwtKeys } from './jwt.js';
import { OAuthEngine } from './oauth-engine.js';
import { RefreshTokens } from './refresh-tokens.js';
import { StatsBook } from './stats.js';
import type { TokenServer, TokenServerOptions } from './types.js';

/** Starts the embedded token server that generated collections are verified against. */
export async function startTokenServer(options: TokenServerOptions = {}): Promise<TokenServer> {
  const host = options.host ?? '127.0.0.1';
  const registry = new ClientRegistry();
  const tokens = new IssuedTokens(await createJwtKeys());
  const closing = new AbortController();
  const state: ServerState = {
    registry,
    tokens,
    engine: new OAuthEngine({ registry, tokens, refreshTokens: new RefreshTokens() }),
    stats: new StatsBook(),
    faults: new FaultBoard(),
    closing: closing.signal,
    baseUrl: '',
    mtlsUrl: undefined,
    clock: new ServerClock(),
    replay: new ReplayGuard(),
    contracts: new ApiContracts(),
  };

  const handler = createRequestHandler(state);
  const server = options.tls ? createTlsServer(options.tls, handler) : createServer(handler);
  const servers: Server[] = [server];
  const url = await listen(server, host, options.port ?? 0, options.tls ? 'https' : 'http');
  state.baseUrl = url;

  let ca: CertificateAndKey | undefined;
  if (options.mtls) {
    ca = (typeof options.mtls === 'object' ? options.mtls.ca : undefined) ?? createCertificateAuthority();
    const own = issueServerCertificate(ca, ['127.0.0.1', 'localhost']);
    // Certificates are asked for but never required here: a handshake without one, or with an
    // untrusted or expired one, still reaches the dialect, which refuses it as its vendor does.
    const mtls = createTlsServer(
      { ...own, ca: [ca.cert], requestCert: true, rejectUnauthorized: false },
      createRequestHandler(state, 'mtls'),
    );
    servers.push(mtls);
    try {
      state.mtlsUrl = await listen(mtls, host, 0, 'https');
    } catch (error) {
      server.close();
      throw error;
    }
  }
  const authority = ca;

  let closed: Promise<void> | undefined;
  return {
    url,
    mtlsUrl: state.mtlsUrl,
    caCertificate: authority?.cert,
    register: (client) => registry.register(client),
    holdToApi: (clientId, contract) => state.contracts.add(clientId, contract),
    stats: (clientId) => state.stats.read(clientId),
    injectFault: (fault, clientId) => state.faults.set(fault, clientId),
    skewClock: (seconds) => state.clock.skew(seconds),
    issueClientCertificate(certificateOptions) {
      if (!authority) throw new Error('issueClientCertificate needs a server started with the mtls option');
      return issueClientCertificate(authority, certificateOptions);
    },
    close() {
      closed ??= Promise.all(
        servers.map(
          (each) =>
            new Promise<void>((resolve) => {
              each.close(() => resolve());
              each.closeAllConnections();
            }),
        ),
      ).then(() => undefined);
      closing.abort();
      return closed;
    },
  };
}

async function listen(server: Server, host: string, port: number, scheme: 'http' | 'https'): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
