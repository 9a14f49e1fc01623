import type { ClientRegistration, TokenKind } from './types.js';

export const DEFAULT_LIFETIME_SECONDS = 3600;

export class ClientRegistry {
  readonly #clients = new Map<string, ClientRegistration>();
  readonly #tokenPaths = new Set<string>();

  register(client: ClientRegistration): void {
    if (typeof client.clientId !== 'string' || client.clientId === '') {
      throw new TypeError('clientId must be a non-empty string');
    }
    if (client.lifetime !== undefined && !(client.lifetime > 0)) {
      throw new RangeError(`lifetime of ${client.clientId} must be a positive number of seconds`);
    }
    const existing = this.#clients.get(client.clientId);
    // Several specs may share one client; a different secret would silently break one of them.
    // Checked before anything is kept, so a refused registration leaves no token path behind.
    if (existing && existing.clientSecret !== client.clientSecret) {
      throw new Error(`client ${client.clientId} is already registered with a different secret`);
    }
    if (client.tokenEndpointPath !== undefined) this.#tokenPaths.add(client.tokenEndpointPath);
    if (!existing) {
      this.#clients.set(client.clientId, copy(client));
      return;
    }
    this.#clients.set(client.clientId, merge(existing, client));
  }

  /** Some registered client fetches its tokens at this path. */
  servesTokenPath(path: string): boolean {
    return this.#tokenPaths.has(path);
  }

  get(clientId: string): ClientRegistration | undefined {
    return this.#clients.get(clientId);
  }

  /** Public clients pass with any secret or none, like Keycloak ignoring it. */
  authenticates(clientId: string, clientSecret: string | undefined): boolean {
    const client = this.#clients.get(clientId);
    if (!client) return false;
    return (
      this.isPublic(clientId) || (client.clientSecret !== undefined && client.clientSecret === clientSecret)
    );
  }

  /** No secret, certificate or key: the client id alone identifies it. */
  isPublic(clientId: string): boolean {
    const client = this.#clients.get(clientId);
    return (
      client !== undefined &&
      client.clientSecret === undefined &&
      client.certificate === undefined &&
      (client.publicKeys ?? []).length === 0
    );
  }

  lifetime(clientId: string): number {
    return this.#clients.get(clientId)?.lifetime ?? DEFAULT_LIFETIME_SECONDS;
  }

  accepts(clientId: string): TokenKind {
    return this.#clients.get(clientId)?.accepts ?? 'access_token';
  }
}

function copy(client: ClientRegistration): ClientRegistration {
  const result: ClientRegistration = { clientId: client.clientId, grants: [...new Set(client.grants)] };
  if (client.clientSecret !== undefined) result.clientSecret = client.clientSecret;
  if (client.users) result.users = client.users.map((user) => ({ ...user }));
  if (client.scopes) result.scopes = [...new Set(client.scopes)];
  if (client.accepts) result.accepts = client.accepts;
  if (client.lifetime !== undefined) result.lifetime = client.lifetime;
  if (client.certificate) result.certificate = { ...client.certificate };
  if (client.publicKeys) result.publicKeys = client.publicKeys.map((key) => ({ ...key }));
  if (client.assertionAlgorithms) result.assertionAlgorithms = [...new Set(client.assertionAlgorithms)];
  if (client.apiKeys) result.apiKeys = client.apiKeys.map((entry) => ({ ...entry }));
  return result;
}

function merge(existing: ClientRegistration, added: ClientRegistration): ClientRegistration {
  const result = copy(existing);
  result.grants = [...new Set([...existing.grants, ...added.grants])];
  if (added.users) {
    const users = new Map((existing.users ?? []).map((user) => [user.username, { ...user }]));
    for (const user of added.users) users.set(user.username, { ...user });
    result.users = [...users.values()];
  }
  // Undefined scopes means "any scope"; one spec needing any scope must not be narrowed by another.
  if (existing.scopes && added.scopes) result.scopes = [...new Set([...existing.scopes, ...added.scopes])];
  else delete result.scopes;
  if (added.accepts) result.accepts = added.accepts;
  if (added.lifetime !== undefined) result.lifetime = added.lifetime;
  if (added.certificate) result.certificate = { ...added.certificate };
  if (added.publicKeys)
    result.publicKeys = [...(result.publicKeys ?? []), ...added.publicKeys.map((k) => ({ ...k }))];
  if (added.assertionAlgorithms) {
    result.assertionAlgorithms = [
      ...new Set([...(existing.assertionAlgorithms ?? []), ...added.assertionAlgorithms]),
    ];
  }
  if (added.apiKeys)
    result.apiKeys = [...(result.apiKeys ?? []), ...added.apiKeys.map((entry) => ({ ...entry }))];
  return result;
}
