import type { Plan } from '../../plan/plan-spec.js';
import { assembleScript, type ScriptPlan } from '../../sandbox/assemble-script.js';

// A sandbox script as Bruno keeps it: the code text of a `before-request` or `tests` script.

/** The code of a Bruno script, for the plan of the spec it belongs to. */
export function brunoScriptCode(
  plan: Pick<Plan, 'source'>,
  script: Omit<ScriptPlan, 'header'> & { role: string },
): string {
  const { role, ...rest } = script;
  const header = [
    `tokenman ${role}, built from ${plan.source} (rebuild rather than edit): the spec's data, the`,
    'src/sandbox/ modules it runs, then the call of its entry point. It never logs a secret or a token.',
  ];
  return assembleScript({ ...rest, header }).join('\n\n');
}
