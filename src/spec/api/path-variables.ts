// The environment variable that fills each path parameter. The same parameter name is the same
// variable in every operation (`{realm}` is `{{Realm}}` throughout), so a user sets it once. A
// variable the spec declares is reused when it means a value (the spec's `Realm`, with its
// default); one that means something else cannot fill a URL: a secret would be written into every
// request's address, and tokenman's own variables and the API's address are not the parameter's.
import { RESERVED_VARIABLES } from '../reserved-variables.js';
import type { VariableDef } from '../types.js';

/** `{userId}` → UserId, `{client-uuid}` → ClientUuid, `{realm}` → Realm: a variable name. */
export function variableNameOf(parameter: string): string {
  const name = parameter
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return /^[A-Za-z]/.test(name) ? name : `Param${name}`;
}

export type PathVariable =
  | { ok: true; variable: string; declared: boolean }
  /** What the variable means instead, in words. */
  | { ok: false; variable: string; meaning: string };

/** Names the variables of path parameters against the spec's own variables. */
export class PathVariables {
  private readonly byLowerName: Map<string, VariableDef>;

  constructor(
    specVariables: readonly VariableDef[],
    /** `api.pathVariables`: parameter name → variable name. */
    private readonly chosen: Readonly<Record<string, string>>,
    /** The variable holding the API's scheme and host, when the base URL is the default one. */
    private readonly apiUrlVariable: string | undefined,
  ) {
    this.byLowerName = new Map(specVariables.map((v) => [v.name.toLowerCase(), v]));
  }

  /** Whether the spec chose this parameter's variable (`api.pathVariables`). */
  isChosen(parameter: string): boolean {
    return Object.hasOwn(this.chosen, parameter);
  }

  variableOf(parameter: string): PathVariable {
    const wanted = this.isChosen(parameter) ? (this.chosen[parameter] ?? '') : variableNameOf(parameter);
    const lower = wanted.toLowerCase();
    const reserved = RESERVED_VARIABLES.find((name) => name.toLowerCase() === lower);
    if (reserved)
      return {
        ok: false,
        variable: reserved,
        meaning: "tokenman's own (the token script keeps its state in it)",
      };
    if (this.apiUrlVariable && lower === this.apiUrlVariable.toLowerCase())
      return { ok: false, variable: this.apiUrlVariable, meaning: "the API's scheme and host" };
    // The spec's spelling wins, so ClientID and a parameter clientId are one variable.
    const declared = this.byLowerName.get(lower);
    if (declared?.secret) return { ok: false, variable: declared.name, meaning: 'a secret of the spec' };
    if (declared) return { ok: true, variable: declared.name, declared: true };
    return { ok: true, variable: wanted, declared: false };
  }
}
