import { variantEntries } from './check-semantics.js';
import { mergeToken } from './merge-token.js';
import { TOKEN_VARIABLES } from './reserved-variables.js';
import { SPEC_DEFAULTS } from './spec-defaults.js';
import type { TokenmanSpec, TokenRequest } from './spec-input.generated.js';
import {
  type AssertionDef,
  type ClientAuth,
  JWT_BEARER_GRANT,
  type Spec,
  type TokenRequestDef,
  type VariableDef,
} from './types.js';

/** The validated input with every default applied and every variant merged. */
export function normalizeSpec(input: TokenmanSpec, id: string, file: string): Spec {
  const variables: VariableDef[] = Object.entries(input.variables).map(([name, v]) => ({
    name,
    description: v.description ?? '',
    default: v.default ?? '',
    secret: v.secret ?? false,
    optional: v.optional ?? false,
    credentials: typeof v.credentials === 'string' ? [v.credentials] : (v.credentials ?? []),
  }));
  const baseDefaults = Object.fromEntries(variables.map((v) => [v.name, v.default]));

  return {
    id,
    file,
    name: input.name,
    description: input.description ?? '',
    variables,
    preSteps: (input.preSteps ?? []).map((step) => ({
      name: step.name,
      method: step.method ?? SPEC_DEFAULTS.preStepMethod,
      url: step.url,
      headers: Object.entries(step.headers ?? {}),
      unless: step.unless ?? '',
      set: Object.entries(step.set),
    })),
    requests: (input.requests ?? []).map((request) => ({
      name: request.name,
      description: request.description ?? '',
      method:
        request.method ??
        (request.json !== undefined ? SPEC_DEFAULTS.requestMethodWithJson : SPEC_DEFAULTS.requestMethod),
      url: request.url,
      headers: Object.entries(request.headers ?? {}),
      json: request.json,
      expect: request.expect ?? null,
    })),
    // The API document is read by loadSpec, which fills this in (src/spec/api).
    api: null,
    // The collection the spec attaches to is read by loadSpec too (src/spec/collection).
    collection: null,
    variants: variantEntries(input).map(({ key, path, token }) => {
      const variant = input.variants?.[key];
      const merged = mergeToken(input.token, ['token'], token, [...path, 'token']).token;
      return {
        key,
        name: variant?.name ?? input.name,
        description: variant?.description ?? '',
        token: normalizeToken(merged),
        defaults: { ...baseDefaults, ...variant?.defaults },
      };
    }),
  };
}

/**
 * The token URL as a template: the spec's url, or with discovery the variable the token script fills
 * from the discovery document's token_endpoint before the first token request.
 */
export function tokenUrlTemplate(token: Pick<TokenRequest, 'url' | 'discovery'>): string {
  if (token.url !== undefined) return token.url;
  return token.discovery !== undefined ? `{{${TOKEN_VARIABLES.endpoint}}}` : '';
}

function normalizeToken(token: TokenRequest): TokenRequestDef {
  const method = token.method ?? SPEC_DEFAULTS.tokenMethod;
  const url = tokenUrlTemplate(token);
  return {
    // The semantic checks have made sure every variant has a url or a discovery, and a grant.
    url,
    method,
    grant: token.grant ?? 'client_credentials',
    clientAuth: token.clientAuth ?? SPEC_DEFAULTS.clientAuth,
    basicEncoding: token.basicEncoding ?? SPEC_DEFAULTS.basicEncoding,
    encoding: token.encoding ?? (method === 'GET' ? SPEC_DEFAULTS.getEncoding : SPEC_DEFAULTS.encoding),
    clientId: token.clientId ?? '',
    clientSecret: token.clientSecret ?? '',
    username: token.username ?? '',
    password: token.password ?? '',
    refreshToken: token.refreshToken ?? '',
    assertion: normalizeAssertion(token, url),
    subjectToken: token.subjectToken ?? '',
    subjectTokenType: token.subjectTokenType ?? SPEC_DEFAULTS.subjectTokenType,
    apiKey: token.apiKey ?? '',
    clientCertificate: token.clientCertificate ?? null,
    discovery: token.discovery ?? '',
    scope: token.scope ?? '',
    params: Object.entries(token.params ?? {}),
    headers: Object.entries(token.headers ?? {}),
    tokenPath: token.response?.token ?? SPEC_DEFAULTS.tokenPath,
    expiresInPath: token.response?.expiresIn ?? SPEC_DEFAULTS.expiresInPath,
    skew: token.skew ?? SPEC_DEFAULTS.skew,
    fallbackLifetime: token.fallbackLifetime ?? SPEC_DEFAULTS.fallbackLifetime,
    retryAfter: token.retryAfter ?? SPEC_DEFAULTS.retryAfter,
    refresh: token.refresh ?? SPEC_DEFAULTS.refresh,
    insecure: token.insecure ?? SPEC_DEFAULTS.insecure,
  };
}

/**
 * The assertion with its defaults (RFC 7523 section 3): a client assertion is issued by the client
 * about itself (iss = sub = client id); every assertion is meant for the token endpoint (aud), which
 * with discovery is the endpoint the script has read from the document by the time it signs.
 * client_secret_jwt signs with the client secret, so it needs no assertion block at all.
 */
function normalizeAssertion(token: TokenRequest, url: string): AssertionDef | null {
  const clientAuth: ClientAuth = token.clientAuth ?? SPEC_DEFAULTS.clientAuth;
  const bySecret = clientAuth === 'client_secret_jwt';
  const input = token.assertion ?? (bySecret ? {} : undefined);
  if (input === undefined) return null;
  if (typeof input === 'string') return { source: 'variable', value: input };
  const clientId = token.clientId ?? '';
  const forClient = token.grant !== JWT_BEARER_GRANT;
  return {
    source: 'sign',
    alg: input.alg ?? (bySecret ? SPEC_DEFAULTS.clientSecretAlg : SPEC_DEFAULTS.privateKeyAlg),
    key: bySecret ? (token.clientSecret ?? '') : (input.key ?? ''),
    kid: input.kid ?? '',
    certificate: input.certificate ?? '',
    thumbprint: input.certificate ? (input.thumbprint ?? SPEC_DEFAULTS.thumbprint) : '',
    issuer: input.issuer ?? clientId,
    subject: input.subject ?? (forClient ? clientId : ''),
    audience: input.audience ?? url,
    scope: input.scope ?? '',
    lifetime: input.lifetime ?? SPEC_DEFAULTS.assertionLifetime,
  };
}
