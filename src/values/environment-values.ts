import { processEnvNames, scopedEnvName, unscopedEnvName } from '../spec/environment-names.js';
import type { Problem } from '../spec/problem.js';
import type { Spec } from '../spec/types.js';

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

interface EnvNameOwner {
  file: string;
  variable: string;
  /** The name is this spec's own `TOKENMAN_<SPEC>_<VARIABLE>`, not the shared `TOKENMAN_<VARIABLE>`. */
  scoped: boolean;
}

/**
 * TOKENMAN_* variables that are set and that more than one spec variable of this run would read,
 * at least one of them as its own scoped name: spec `sap` with AiCoreClientSecret and spec
 * `sap-ai-core` with ClientSecret both read TOKENMAN_SAP_AI_CORE_CLIENT_SECRET, and sending one
 * vendor's secret to the other's token endpoint is worse than refusing. `TOKENMAN_<VARIABLE>` read by
 * several specs for the same variable name is shared by design and not a problem.
 */
export function ambiguousProcessEnv(specs: readonly Spec[], env: NodeJS.ProcessEnv): Problem[] {
  const owners = new Map<string, EnvNameOwner[]>();
  const own = (name: string, owner: EnvNameOwner) => {
    if (env[name] === undefined) return;
    const list = owners.get(name) ?? [];
    if (!list.some((o) => o.file === owner.file && o.variable === owner.variable)) list.push(owner);
    owners.set(name, list);
  };
  for (const spec of specs) {
    for (const { name } of spec.variables) {
      own(scopedEnvName(spec.id, name), { file: spec.file, variable: name, scoped: true });
      own(unscopedEnvName(name), { file: spec.file, variable: name, scoped: false });
    }
  }
  const problems: Problem[] = [];
  for (const [name, list] of owners) {
    if (list.length < 2 || !list.some((o) => o.scoped)) continue;
    const named = list.map((o) => `variable "${o.variable}" of ${o.file}`);
    const all = `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
    const last = list[list.length - 1] as EnvNameOwner;
    problems.push({
      ruleId: 'ambiguous-environment-variable',
      severity: 'error',
      message: `${name} is set, and ${list.length === 2 ? 'both ' : ''}${all} read it; tokenman will not guess which one it is for, so nothing was sent`,
      hint: `verify these specs in separate runs (tokenman verify ${last.file}), or rename one of the variables`,
      file: last.file,
    });
  }
  return problems;
}

export type EnvVarParse = { values: Record<string, string> } | { error: string };

/**
 * The sentence for an `--env-var` without `KEY=`. Nothing of the argument is quoted but a name
 * that stands before another separator (`ClientSecret:abc`, `ClientSecret abc`): an argument of
 * one word may be the secret itself, pasted without its name.
 */
function envVarMistake(flag: string): string {
  const hidden = 'the value is not shown, as it may be a secret';
  const named = /^([A-Za-z_][A-Za-z0-9_.-]{0,63})([:\s])/.exec(flag);
  if (named) {
    const [, name, separator] = named;
    const what = separator === ':' ? '":"' : 'a space';
    return `--env-var ${name}… has ${what} where "=" goes: write --env-var ${name}=… (${hidden})`;
  }
  if (flag.startsWith('=')) return `--env-var takes KEY=VALUE, and one has no KEY before its "=" (${hidden})`;
  return `--env-var takes KEY=VALUE, and one has no "=" (${hidden})`;
}

/** `--env-var KEY=VALUE` flags, as Newman takes them (the value may itself contain =). */
export function parseEnvVarFlags(flags: string[]): EnvVarParse {
  const values: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const colon = flag.search(/[:\s]/);
    // `Name:a=b` is a colon for "=" (and a value holding one), not a name `Name:a`.
    if (eq <= 0 || (colon >= 0 && colon < eq)) return { error: envVarMistake(flag) };
    values[flag.slice(0, eq)] = flag.slice(eq + 1);
  }
  return { values };
}
