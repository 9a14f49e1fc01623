import type { TokenRequest } from './spec-input.generated.js';
import type { SpecPath } from './spec-source.js';

/** A variant's token request after merging, and where each field was written (for messages). */
export interface MergedToken {
  token: TokenRequest;
  /** `grant` → `['variants', 'cloud', 'token', 'grant']`; map entries as `params.realm`. */
  origin: Map<string, SpecPath>;
}

// Maps whose entries merge one by one, so a variant can add a header without repeating the others.
const MAPS = ['params', 'headers', 'response'] as const;

/**
 * The variant's token over the top-level one: each key replaces the top-level key, except the maps
 * above, which merge per entry (an overridden entry keeps its place, new ones come after).
 */
export function mergeToken(
  base: TokenRequest,
  basePath: SpecPath,
  override: TokenRequest | undefined,
  overridePath: SpecPath,
): MergedToken {
  const merged: Record<string, unknown> = {};
  const origin = new Map<string, SpecPath>();
  for (const [layer, path] of [
    [base, basePath],
    [override ?? {}, overridePath],
  ] as const) {
    for (const [key, value] of Object.entries(layer)) {
      if ((MAPS as readonly string[]).includes(key)) {
        const into = { ...(merged[key] as Record<string, unknown> | undefined) };
        merged[key] = into;
        for (const [entry, entryValue] of Object.entries(value as Record<string, unknown>)) {
          // defineProperty, not assignment: a param named __proto__ would otherwise vanish into the
          // prototype setter instead of being sent.
          Object.defineProperty(into, entry, {
            value: entryValue,
            enumerable: true,
            writable: true,
            configurable: true,
          });
          origin.set(`${key}.${entry}`, [...path, key, entry]);
        }
        if (!origin.has(key)) origin.set(key, [...path, key]);
      } else {
        merged[key] = value;
        origin.set(key, [...path, key]);
      }
    }
  }
  return { token: merged as TokenRequest, origin };
}
