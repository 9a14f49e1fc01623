import { variantEntries } from './check-semantics.js';
import { mergeToken } from './merge-token.js';
import type { TokenmanSpec, TokenRequest } from './spec-input.generated.js';
import type { Spec, TokenRequestDef, VariableDef } from './types.js';

// Every default a spec may leave out, in one place.
export const SPEC_DEFAULTS = {
  tokenMethod: 'POST',
  clientAuth: 'basic',
  basicEncoding: 'raw',
  encoding: 'urlencoded',
  getEncoding: 'query',
  tokenPath: 'access_token',
  expiresInPath: 'expires_in',
  skew: 60,
  fallbackLifetime: 300,
  retryAfter: 5,
  refresh: true,
  insecure: false,
  preStepMethod: 'GET',
  requestMethod: 'GET',
  requestMethodWithJson: 'POST',
} as const;

/** The validated input with every default applied and every variant merged. */
export function normalizeSpec(input: TokenmanSpec, id: string, file: string): Spec {
  const variables: VariableDef[] = Object.entries(input.variables).map(([name, v]) => ({
    name,
    description: v.description ?? '',
    default: v.default ?? '',
    secret: v.secret ?? false,
    optional: v.optional ?? false,
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

function normalizeToken(token: TokenRequest): TokenRequestDef {
  const method = token.method ?? SPEC_DEFAULTS.tokenMethod;
  return {
    // The semantic checks have made sure every variant has a url and a grant.
    url: token.url ?? '',
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
