import { processEnvNames } from './environment-names.js';
import type { Problem } from './problem.js';
import { specIdFromFile } from './spec-id.js';
import type { TokenmanSpec } from './spec-input.generated.js';
import type { SpecSource } from './spec-source.js';

/**
 * Variables of one spec that `tokenman verify` would read from the same TOKENMAN_* variable:
 * ClientId, ClientID and Client_Id are all CLIENT_ID, and in spec `sap` the shared name of
 * SapClientSecret is the scoped name of ClientSecret. One value would fill both, so the second is
 * refused where it is declared.
 */
export function checkEnvironmentNames(input: TokenmanSpec, source: SpecSource): Problem[] {
  const { id } = specIdFromFile(source.file);
  const reader = new Map<string, string>();
  const problems: Problem[] = [];
  for (const name of Object.keys(input.variables)) {
    const names = processEnvNames(id, name);
    const shared = names.find((envName) => reader.has(envName));
    if (shared !== undefined) {
      const first = reader.get(shared) as string;
      const line = source.locate({ path: ['variables', first], key: true }).position.line;
      problems.push(
        source.problem(
          {
            ruleId: 'environment-name-collision',
            message: `variable "${name}" would be read from ${shared}, as "${first}" (line ${line}) is: tokenman verify could not tell them apart`,
            hint: `rename one of them; verify reads each variable from TOKENMAN_<SPEC>_<VARIABLE> or TOKENMAN_<VARIABLE> in upper snake case, where ClientId, ClientID and Client_Id are one name`,
          },
          { path: ['variables', name], key: true },
        ),
      );
      continue;
    }
    for (const envName of names) reader.set(envName, name);
  }
  return problems;
}
