// Filling an environment with a run's values. Any environment of `{ key, value, type }` entries
// will do (Postman's, as the build writes it, is one): values know no client's format.
import type { Spec } from '../spec/types.js';

interface FillableEnvironment {
  values: ReadonlyArray<{ key: string; value: string; type: string }>;
}

/**
 * The values to redact: whatever ended up in a secret-typed variable, and whatever the user gave for
 * any variable the spec calls secret, even one this variant does not use.
 */
export function secretValues(
  spec: Spec,
  environment: FillableEnvironment,
  given: Record<string, string>,
): string[] {
  const inEnvironment = environment.values.filter((v) => v.type === 'secret' && v.value).map((v) => v.value);
  const declared = spec.variables.filter((v) => v.secret).map((v) => given[v.name] ?? '');
  return [...new Set([...inEnvironment, ...declared])].filter((value) => value.length > 0);
}

/** The environment with these values over its own (only for keys it has). */
export function withValues<E extends FillableEnvironment>(environment: E, values: Record<string, string>): E {
  return {
    ...environment,
    values: environment.values.map((entry) =>
      Object.hasOwn(values, entry.key) ? { ...entry, value: values[entry.key] ?? '' } : entry,
    ),
  };
}
