import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { TokenServer } from '../../src/server/index.js';
import { JWT_BEARER_GRANT } from '../../src/spec/types.js';

/**
 * A Google service-account key file, every field Google writes, with a fresh RSA key; its
 * token_uri points at `server`, which is told the service account (client_email, with the public
 * key under private_key_id) as Google knows it.
 */
export function googleServiceAccountKey(server: TokenServer, email: string) {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyId = randomBytes(20).toString('hex');
  server.register({
    clientId: email,
    grants: [JWT_BEARER_GRANT],
    publicKeys: [
      { key: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(), kid: privateKeyId },
    ],
  });
  return {
    type: 'service_account',
    project_id: email.split('@')[1]?.split('.')[0] ?? 'tokenman-test',
    private_key_id: privateKeyId,
    private_key: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: email,
    client_id: '104857600123456789012',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: `${server.url}/token`,
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
    universe_domain: 'googleapis.com',
  };
}
