/** ClientSecret → CLIENT_SECRET, sap-ai-core → SAP_AI_CORE: the shape CI secret stores use. */
export function upperSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/** The process environment variables that can set a spec's variable, most specific first. */
export function processEnvNames(specId: string, variable: string): string[] {
  return [`TOKENMAN_${upperSnake(specId)}_${upperSnake(variable)}`, `TOKENMAN_${upperSnake(variable)}`];
}

export function valuesFromProcessEnv(
  specId: string,
  variables: string[],
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const variable of variables) {
    const name = processEnvNames(specId, variable).find((n) => env[n] !== undefined);
    if (name) values[variable] = env[name] ?? '';
  }
  return values;
}

export type EnvVarParse = { values: Record<string, string> } | { error: string };

/** `--env-var KEY=VALUE` flags, as Newman takes them (the value may itself contain =). */
export function parseEnvVarFlags(flags: string[]): EnvVarParse {
  const values: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) return { error: `--env-var takes KEY=VALUE, got "${flag.split('=')[0]}"` };
    values[flag.slice(0, eq)] = flag.slice(eq + 1);
  }
  return { values };
}
