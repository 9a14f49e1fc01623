import { type HttpReply, jsonReply } from '../reply.js';

export type Scope = 'provider' | 'admin';

interface IdentityProvider {
  name: string;
  title: string;
  default: boolean;
  registry_type: string;
}

/** The user registries a stock API Connect install offers; login realms must name one of them. */
export const IDENTITY_PROVIDERS: Record<Scope, IdentityProvider[]> = {
  provider: [
    { name: 'default-idp-2', title: 'API Manager User Registry', default: true, registry_type: 'lur' },
    { name: 'corporate-ldap', title: 'Corporate LDAP', default: false, registry_type: 'ldap' },
  ],
  admin: [
    { name: 'default-idp-1', title: 'Cloud Manager User Registry', default: true, registry_type: 'lur' },
  ],
};

const LIST_PATH = /^\/api\/cloud\/(provider|admin)\/identity-providers$/;

/** Answers the unauthenticated registry listing, or undefined when the request is not one. */
export function identityProvidersReply(method: string, path: string): HttpReply | undefined {
  const scope = LIST_PATH.exec(path)?.[1] as Scope | undefined;
  if (method !== 'GET' || !scope) return undefined;
  const results = IDENTITY_PROVIDERS[scope];
  return jsonReply(200, { total_results: results.length, results });
}

/** A realm is `provider/<name>` or `admin/<name>` naming a listed registry. */
export function isKnownRealm(realm: string | undefined): boolean {
  const [scope, name, ...rest] = (realm ?? '').split('/');
  if (rest.length > 0 || (scope !== 'provider' && scope !== 'admin')) return false;
  return IDENTITY_PROVIDERS[scope].some((provider) => provider.name === name);
}
