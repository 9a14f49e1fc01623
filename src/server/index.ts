export { startTokenServer } from './start-token-server.js';
export type {
  ClientRegistration,
  ServerStats,
  TokenFault,
  TokenServer,
  TokenServerOptions,
} from './types.js';
