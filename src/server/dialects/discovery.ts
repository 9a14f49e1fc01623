import { type HttpReply, jsonReply } from '../reply.js';

const SUFFIX = '/.well-known/openid-configuration';

interface DiscoveryDeps {
  baseUrl: string;
  mtlsUrl: string | undefined;
}

/**
 * OpenID Connect discovery documents for the issuers that publish one, at `{issuer}/.well-known/
 * openid-configuration`: Keycloak realms, Entra tenants (v2.0), Okta authorization servers, and the
 * root one that XSUAA serves. With the mTLS listener running, `mtls_endpoint_aliases` (RFC 8705 §5)
 * names its token endpoint. Google and Salesforce publish theirs on hosts of their own (accounts.,
 * login.) whose root here is XSUAA's, so they have none.
 */
export function discoveryReply(method: string, path: string, deps: DiscoveryDeps): HttpReply | undefined {
  if (method !== 'GET' || !path.endsWith(SUFFIX)) return undefined;
  const issuerPath = path.slice(0, -SUFFIX.length);
  const document = documentFor(issuerPath, deps);
  return document ? jsonReply(200, document) : undefined;
}

function documentFor(issuerPath: string, deps: DiscoveryDeps): Record<string, unknown> | undefined {
  const realm = /^\/realms\/([^/]+)$/.exec(issuerPath)?.[1];
  if (realm !== undefined) {
    return document(deps, `/realms/${realm}`, `/realms/${realm}/protocol/openid-connect/token`, {
      auth: [
        'private_key_jwt',
        'client_secret_basic',
        'client_secret_post',
        'tls_client_auth',
        'client_secret_jwt',
      ],
      algs: ['RS256', 'PS256', 'ES256', 'HS256'],
      grants: ['client_credentials', 'password', 'refresh_token'],
    });
  }
  const tenant = /^\/([^/]+)\/v2\.0$/.exec(issuerPath)?.[1];
  if (tenant !== undefined) {
    return document(deps, `/${tenant}/v2.0`, `/${tenant}/oauth2/v2.0/token`, {
      auth: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      algs: ['RS256', 'PS256'],
      grants: ['client_credentials'],
    });
  }
  const oktaServer = /^\/oauth2\/([^/]+)$/.exec(issuerPath)?.[1];
  if (oktaServer !== undefined) {
    return document(deps, `/oauth2/${oktaServer}`, `/oauth2/${oktaServer}/v1/token`, {
      auth: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'],
      algs: ['RS256', 'ES256', 'HS256'],
      grants: ['client_credentials'],
    });
  }
  if (issuerPath === '') {
    return document(deps, '', '/oauth/token', {
      auth: ['client_secret_basic', 'client_secret_post', 'tls_client_auth'],
      algs: ['RS256'],
      grants: ['client_credentials', 'password', 'refresh_token'],
    });
  }
  return undefined;
}

function document(
  deps: DiscoveryDeps,
  issuerPath: string,
  tokenPath: string,
  supported: { auth: string[]; algs: string[]; grants: string[] },
): Record<string, unknown> {
  return {
    issuer: `${deps.baseUrl}${issuerPath}`,
    token_endpoint: `${deps.baseUrl}${tokenPath}`,
    token_endpoint_auth_methods_supported: supported.auth,
    token_endpoint_auth_signing_alg_values_supported: supported.algs,
    grant_types_supported: supported.grants,
    response_types_supported: ['token'],
    ...(deps.mtlsUrl ? { mtls_endpoint_aliases: { token_endpoint: `${deps.mtlsUrl}${tokenPath}` } } : {}),
  };
}
