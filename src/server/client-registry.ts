import type { ClientRegistration, TokenKind } from './types.js';

export const DEFAULT_LIFETIME_SECONDS = 3600;

/**
 * The clients the server knows. One client id may be registered with several secrets, each pair a
 * registration of its own, as a vendor keeps an old and a new secret valid while they rotate: runs
 * of several specs, variants or clients (Newman and Bruno) that share a fixed client id (one
 * `tokenman init` wrote as a default, or a spec's literal one) each bring a fresh test secret, and
 * every one of them authenticates. What else a client registers (grants, users, scopes, keys) is
 * merged across its registrations.
 */
export class ClientRegistry {
  readonly #clients = new Map<string, ClientRegistration>();
  /** Each client's secrets; `undefined` among them for a registration without one (public). */
  readonly #secrets = new Map<string, Set<string | undefined>>();
  readonly #tokenPaths = new Set<string>();

  register(client: ClientRegistration): void {
    if (typeof client.clientId !== 'string' || client.clientId === '') {
      throw new TypeError('clientId must be a non-empty string');
    }
    if (client.lifetime !== undefined && !(client.lifetime > 0)) {
      throw new RangeError(`lifetime of ${client.clientId} must be a positive number of seconds`);
    }
    const existing = this.#clients.get(client.clientId);
    const secrets = this.#secrets.get(client.clientId) ?? new Set();
    secrets.add(client.clientSecret);
    this.#secrets.set(client.clientId, secrets);
    if (client.tokenEndpointPath !== undefined) this.#tokenPaths.add(client.tokenEndpointPath);
    this.#clients.set(client.clientId, existing ? merge(existing, client) : copy(client));
  }

  /** Every secret the client was registered with (client_secret_jwt tries each as its HMAC key). */
  secretsOf(clientId: string): string[] {
    return [...(this.#secrets.get(clientId) ?? [])].filter((secret) => secret !== undefined);
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
    if (!this.#clients.has(clientId)) return false;
    return (
      this.isPublic(clientId) ||
      (clientSecret !== undefined && (this.#secrets.get(clientId)?.has(clientSecret) ?? false))
    );
  }

  /** Registered without a secret, and with no certificate or key: the client id alone identifies it. */
  isPublic(clientId: string): boolean {
    const client = this.#clients.get(clientId);
    return (
      client !== undefined &&
      (this.#secrets.get(clientId)?.has(undefined) ?? false) &&
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
