import type OAuth2Server from '@node-oauth/oauth2-server';
import type { ClientRegistry } from './client-registry.js';
import type { IssuedTokens } from './issued-tokens.js';
import type { RefreshTokens } from './refresh-tokens.js';

export interface ModelDeps {
  registry: ClientRegistry;
  tokens: IssuedTokens;
  refreshTokens: RefreshTokens;
}

/** What differs between token endpoints and so cannot live in the shared model. */
export interface IssueContext {
  issuer: string;
  /** Keycloak answers an `openid` scope with an id_token. */
  idTokenOnOpenid: boolean;
  /** A client the dialect already authenticated (assertion, certificate, API key): no secret is asked. */
  authenticated?: AuthenticatedClient;
}

export interface AuthenticatedClient {
  clientId: string;
  /** The token's subject instead of the client: the API key's user, Salesforce's `sub`. */
  subject?: string;
  /**
   * The dialect has checked a grant the library does not know (JWT bearer, api_key) and sends it as
   * client_credentials, which this client may then use.
   */
  grantChecked?: boolean;
}

export type TokenModel = OAuth2Server.PasswordModel &
  OAuth2Server.ClientCredentialsModel &
  OAuth2Server.RefreshTokenModel;

/** `openid` asks for an id token rather than access to a resource, so no client has to list it. */
const PROTOCOL_SCOPES = new Set(['openid']);

export function refreshLifetimeFor(accessLifetime: number): number {
  // Keycloak's default SSO idle time; always longer than the access token so refresh can be tested.
  return Math.max(1800, accessLifetime * 2);
}

export function createModel(deps: ModelDeps, context: IssueContext): TokenModel {
  const { registry, tokens, refreshTokens } = deps;

  return {
    async getClient(clientId: string, clientSecret: string | undefined) {
      const client = registry.get(clientId);
      const authenticated = context.authenticated?.clientId === clientId ? context.authenticated : undefined;
      if (!client || (!authenticated && !registry.authenticates(clientId, clientSecret))) return false;
      const lifetime = registry.lifetime(clientId);
      // The library only decides per grant whether a secret is needed; the per-client rule lives here.
      const grants: string[] = authenticated?.grantChecked
        ? ['client_credentials']
        : registry.isPublic(clientId)
          ? client.grants.filter((grant) => grant !== 'client_credentials')
          : [...client.grants];
      return {
        id: clientId,
        grants,
        accessTokenLifetime: lifetime,
        refreshTokenLifetime: refreshLifetimeFor(lifetime),
      };
    },

    async getUser(username: string, password: string, client: OAuth2Server.Client) {
      const users = registry.get(client.id)?.users ?? [];
      const user = users.find(
        (candidate) => candidate.username === username && candidate.password === password,
      );
      return user ? { id: user.username } : false;
    },

    async getUserFromClient(client: OAuth2Server.Client) {
      return { id: context.authenticated?.subject ?? client.id };
    },

    async validateScope(_user: OAuth2Server.User, client: OAuth2Server.Client, scope?: string[]) {
      const allowed = registry.get(client.id)?.scopes;
      if (!scope) return allowed ? [...allowed] : [];
      if (!allowed) return scope;
      return scope.every((item) => PROTOCOL_SCOPES.has(item) || allowed.includes(item)) ? scope : false;
    },

    async generateAccessToken(client: OAuth2Server.Client, user: OAuth2Server.User, scope: string[]) {
      const minted = await tokens.mint({
        kind: 'access_token',
        issuer: context.issuer,
        clientId: client.id,
        subject: String(user.id),
        scope: scope ?? [],
        lifetimeSeconds: registry.lifetime(client.id),
      });
      return minted.token;
    },

    async saveToken(token: OAuth2Server.Token, client: OAuth2Server.Client, user: OAuth2Server.User) {
      if (token.refreshToken) {
        refreshTokens.save({
          refreshToken: token.refreshToken,
          refreshTokenExpiresAt: token.refreshTokenExpiresAt,
          scope: token.scope,
          clientId: client.id,
          user: { id: String(user.id) },
        });
      }
      const saved: OAuth2Server.Token = { ...token, client, user };
      if (context.idTokenOnOpenid && token.scope?.includes('openid')) {
        const idToken = await tokens.mint({
          kind: 'id_token',
          issuer: context.issuer,
          clientId: client.id,
          subject: String(user.id),
          lifetimeSeconds: registry.lifetime(client.id),
        });
        // Rides along to the response body through allowExtendedTokenAttributes.
        saved.id_token = idToken.token;
      }
      return saved;
    },

    async getRefreshToken(refreshToken: string) {
      const grant = refreshTokens.get(refreshToken);
      if (!grant) return false;
      const refresh: OAuth2Server.RefreshToken = {
        refreshToken: grant.refreshToken,
        client: { id: grant.clientId, grants: [] },
        user: grant.user,
      };
      if (grant.refreshTokenExpiresAt) refresh.refreshTokenExpiresAt = grant.refreshTokenExpiresAt;
      if (grant.scope) refresh.scope = grant.scope;
      return refresh;
    },

    async revokeToken(token: OAuth2Server.RefreshToken) {
      return refreshTokens.revoke(token.refreshToken);
    },

    // Required by the model type; bearer checks go through the protected resource instead.
    async getAccessToken() {
      return false;
    },
  };
}
