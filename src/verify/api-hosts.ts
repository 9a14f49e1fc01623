import { asObject, collectionEntries, requestOf } from '../spec/collection/collection-items.js';
import { leadingVariable } from '../spec/template.js';
import type { Spec } from '../spec/types.js';

// The hosts a spec's API requests go to, beyond its token request: the variables their URLs start
// with. A local verify points each at the embedded server, so no request of the vendor's API (the
// document's operations, the requests of an attached collection) leaves the machine.

/** The URLs of an attached collection's requests as written: a string, or a URL object's `raw`. */
function attachedUrls(spec: Spec): string[] {
  if (!spec.collection) return [];
  const urls: string[] = [];
  for (const entry of collectionEntries(spec.collection.collection.item)) {
    if (entry.kind !== 'request') continue;
    const url = requestOf(entry)?.url ?? entry.value.request;
    const raw = typeof url === 'string' ? url : asObject(url)?.raw;
    if (typeof raw === 'string') urls.push(raw);
  }
  return urls;
}

/** The variables the spec's requests, its API document's operations and its attached collection start their URLs with. */
export function apiHostVariables(spec: Spec): Set<string> {
  const urls = [...spec.requests.map((r) => r.url), spec.api?.baseUrl ?? '', ...attachedUrls(spec)];
  return new Set(urls.map(leadingVariable).filter((name): name is string => name !== undefined));
}

/**
 * The attached collection's own variables that hold a host no environment declares (its
 * `{{baseUrl}}`), with the value the collection gives: a local run overrides them too.
 */
export function attachedHostDefaults(spec: Spec, hosts: ReadonlySet<string>): Map<string, string> {
  const declared = new Set(spec.variables.map((v) => v.name));
  const defaults = new Map<string, string>();
  const variables = spec.collection?.collection.variable;
  for (const name of hosts) if (!declared.has(name)) defaults.set(name, '');
  if (Array.isArray(variables))
    for (const each of variables) {
      const variable = asObject(each);
      const name = variable?.key;
      if (typeof name === 'string' && defaults.has(name) && typeof variable?.value === 'string')
        defaults.set(name, variable.value);
    }
  return defaults;
}
