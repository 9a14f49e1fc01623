import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ClientRegistry } from './client-registry.js';
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
  };

  const handler = createRequestHandler(state);
  const server = options.tls ? createTlsServer(options.tls, handler) : createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  state.baseUrl = url;

  let closed: Promise<void> | undefined;
  return {
    url,
    register: (client) => registry.register(client),
    stats: (clientId) => state.stats.read(clientId),
    injectFault: (fault, clientId) => state.faults.set(fault, clientId),
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
