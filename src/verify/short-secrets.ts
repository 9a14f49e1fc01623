import type { Spec } from '../spec/types.js';
import type { EnvironmentJson } from '../targets/postman/generate-environment.js';
import { SUBSTRING_MINIMUM } from './redact.js';

/** Below this length a secret earns a warning: real client secrets and passwords are longer. */
export const SHORT_SECRET = 8;

/**
 * A warning for each secret variable of the run whose value is short, naming the variable, never
 * the value: a placeholder by mistake, or a secret that redaction cannot hide inside other text.
 */
export function shortSecretWarnings(spec: Spec, environment: EnvironmentJson): string[] {
  const values = new Map(environment.values.map((entry) => [entry.key, entry.value]));
  return spec.variables.flatMap((variable) => {
    const length = variable.secret ? (values.get(variable.name)?.length ?? 0) : 0;
    if (length === 0 || length >= SHORT_SECRET) return [];
    const hidden =
      length < SUBSTRING_MINIMUM
        ? `it is redacted only where it stands as a whole value, not inside other text`
        : `it is easy to guess`;
    return [
      `${variable.name} of ${spec.id} is only ${length} character${length === 1 ? '' : 's'} long: ${hidden}`,
    ];
  });
}
