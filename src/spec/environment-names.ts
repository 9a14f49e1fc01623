// The process environment variables `tokenman verify` reads a spec's variables from. They live with
// the spec because the validator refuses a spec whose variables would share one, and the generated
// docs and `init` name them too.

/** ClientSecret → CLIENT_SECRET, sap-ai-core → SAP_AI_CORE: the shape CI secret stores use. */
export function upperSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/** `TOKENMAN_<SPEC>_<VARIABLE>`: this spec's own name for the variable. */
export function scopedEnvName(specId: string, variable: string): string {
  return `TOKENMAN_${upperSnake(specId)}_${upperSnake(variable)}`;
}

/** `TOKENMAN_<VARIABLE>`: shared by every spec with a variable of that name, by design. */
export function unscopedEnvName(variable: string): string {
  return `TOKENMAN_${upperSnake(variable)}`;
}

/** The process environment variables that can set a spec's variable, most specific first. */
export function processEnvNames(specId: string, variable: string): string[] {
  return [scopedEnvName(specId, variable), unscopedEnvName(variable)];
}
