// @ts-check
// Which variant a request runs under, and which variant a "Get token" request belongs to.

/**
 * The variant a request runs under: the environment's TokenVariant, else the spec's first.
 * @template T
 * @param {import('./types.js').SandboxContext} runtime
 * @param {{ names: import('./types.js').StateNames, defaultVariant: string, variants: Record<string, T> }} config
 * @returns {{ key: string, variant: T | undefined }}
 */
export function tokenmanActiveVariant(runtime, config) {
  const key = runtime.get(config.names.variant) || config.defaultVariant;
  return { key: key, variant: Object.hasOwn(config.variants, key) ? config.variants[key] : undefined };
}

/**
 * The variant key of a "Get token" request, by its name; undefined for every other request. Own
 * keys only: a request named "constructor" is no "Get token" request.
 * @param {Record<string, string>} tokenRequests
 * @param {string} name
 * @returns {string | undefined}
 */
export function tokenmanTokenRequestOf(tokenRequests, name) {
  return Object.hasOwn(tokenRequests, name) ? tokenRequests[name] : undefined;
}
