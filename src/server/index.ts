export type { CertificateAndKey, CertificateSubject, ClientCertificateOptions } from './certificates.js';
export { createCertificateAuthority, issueClientCertificate } from './certificates.js';
export { startTokenServer } from './start-token-server.js';
export type {
  ApiContract,
  ClientCertificateMatch,
  ClientKey,
  ClientRegistration,
  ServerStats,
  TokenFault,
  TokenServer,
  TokenServerOptions,
} from './types.js';
