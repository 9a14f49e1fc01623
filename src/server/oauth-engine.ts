import OAuth2Server from '@node-oauth/oauth2-server';
import { decodeJwt } from 'jose';
import type { Fields } from './body.js';
import { createModel, type IssueContext, type ModelDeps } from './oauth-model.js';

export type { AuthenticatedClient, IssueContext } from './oauth-model.js';

export interface IssuedTokenSet {
  accessToken: string;
  jti: string;
  expiresIn: number;
  scope: string;
  refreshToken?: string;
  refreshExpiresIn?: number;
  idToken?: string;
  /** RFC 8693 §2.2.1, set for token exchange. */
  issuedTokenType?: string;
}

/** Why the engine refused, in terms every dialect can translate into its vendor's wording. */
export type FailureReason =
  | 'client'
  | 'user'
  | 'refresh_token'
  | 'unsupported_grant'
  | 'unauthorized_grant'
  | 'scope'
  | 'request'
  /** RFC 8693: the subject_token is not a live token of this server. */
  | 'subject_token'
  | 'server';

export interface EngineFailure {
  reason: FailureReason;
  error: string;
  description: string;
}

export type IssueOutcome = { ok: true; tokens: IssuedTokenSet } | { ok: false; failure: EngineFailure };

const SUPPORTED_GRANTS = new Set(['client_credentials', 'password', 'refresh_token']);

/**
 * Runs a normalised token request through @node-oauth/oauth2-server, which does grant handling
 * and client authentication; dialects only translate its input and output.
 */
export class OAuthEngine {
  readonly #deps: ModelDeps;

  constructor(deps: ModelDeps) {
    this.#deps = deps;
  }

  async issue(form: Fields, context: IssueContext): Promise<IssueOutcome> {
    const server = new OAuth2Server({
      model: createModel(this.#deps, context),
      allowExtendedTokenAttributes: true,
      // The library requires a secret per grant type, for every client alike; getClient decides per
      // client instead, so public clients can use password and refresh_token.
      requireClientAuthentication: { client_credentials: false, password: false, refresh_token: false },
    });
    const encoded = new URLSearchParams(form).toString();
    const request = new OAuth2Server.Request({
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        // type-is treats a request without a length as bodiless and the library then refuses it.
        'content-length': String(Buffer.byteLength(encoded)),
      },
      query: {},
      body: { ...form },
    });
    const response = new OAuth2Server.Response();
    try {
      const token = await server.token(request, response);
      return { ok: true, tokens: this.#summarise(token) };
    } catch (error) {
      return { ok: false, failure: classify(error, form.grant_type) };
    }
  }

  #summarise(token: OAuth2Server.Token): IssuedTokenSet {
    const claims = decodeJwt(token.accessToken);
    const tokens: IssuedTokenSet = {
      accessToken: token.accessToken,
      jti: String(claims.jti),
      // The registered lifetime, not the library's count-down that has already lost a second to rounding.
      expiresIn: this.#deps.registry.lifetime(String(token.client.id)),
      scope: (token.scope ?? []).join(' '),
    };
    if (token.refreshToken) {
      tokens.refreshToken = token.refreshToken;
      if (token.refreshTokenExpiresAt) {
        tokens.refreshExpiresIn = Math.round((token.refreshTokenExpiresAt.getTime() - Date.now()) / 1000);
      }
    }
    if (typeof token.id_token === 'string') tokens.idToken = token.id_token;
    return tokens;
  }
}

function classify(error: unknown, grantType: string | undefined): EngineFailure {
  const name = error instanceof OAuth2Server.OAuthError ? error.name : 'server_error';
  const description = error instanceof Error ? error.message : String(error);
  const failure = (reason: FailureReason): EngineFailure => ({ reason, error: name, description });
  switch (name) {
    case 'invalid_client':
      return failure('client');
    case 'invalid_grant':
      if (grantType === 'password') return failure('user');
      if (grantType === 'refresh_token') return failure('refresh_token');
      return failure('request');
    case 'unsupported_grant_type':
      return failure('unsupported_grant');
    case 'unauthorized_client':
      // authorization_code passes the library's own grant list, yet no client here can ever hold it.
      return SUPPORTED_GRANTS.has(grantType ?? '')
        ? failure('unauthorized_grant')
        : { reason: 'unsupported_grant', error: 'unsupported_grant_type', description };
    case 'invalid_scope':
      return failure('scope');
    case 'invalid_request':
      return failure('request');
    default:
      return { reason: 'server', error: 'server_error', description };
  }
}
