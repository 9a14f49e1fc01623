// The values a spec's variables take from a vendor's credentials file, by the paths each variable
// declares (`variables.<Name>.credentials`). Messages name fields, paths and variables, never a value.

import { variablesUsedBy } from '../plan/variables-used.js';
import { tokenmanPathSegments } from '../sandbox/response-path.js';
import type { Problem } from '../spec/problem.js';
import { isSecretName } from '../spec/secret-names.js';
import type { Spec, VariantDef } from '../spec/types.js';
import { printableName } from './printable.js';
import { type CredentialsFile, kindOf } from './read-credentials-file.js';

/**
 * The field the cf CLI (v8 and later) and the btp CLI put a service key under when they print it:
 * a path not found at the top of the file is looked for inside it, so the file a user saved from
 * either works with the paths of the bare key.
 */
export const WRAPPER_FIELD = 'credentials';

type Found = { found: true; value: unknown } | { found: false };

function lookup(from: unknown, path: string): Found {
  let at = from;
  // A credentials path is a response path without [key=value] filters (the schema's pattern).
  for (const step of tokenmanPathSegments(path)) {
    if (step.kind === 'key') {
      if (at === null || typeof at !== 'object' || Array.isArray(at) || !Object.hasOwn(at, step.key))
        return { found: false };
      at = (at as Record<string, unknown>)[step.key];
    } else if (step.kind === 'index') {
      if (!Array.isArray(at) || step.index >= at.length) return { found: false };
      at = at[step.index];
    } else return { found: false };
  }
  // A null is what an unset field of a service key looks like: absent, so the next path is tried.
  return at === null || at === undefined ? { found: false } : { found: true, value: at };
}

function wrapped(root: Record<string, unknown>): Record<string, unknown> | undefined {
  const inner = root[WRAPPER_FIELD];
  return inner !== null && typeof inner === 'object' && !Array.isArray(inner)
    ? (inner as Record<string, unknown>)
    : undefined;
}

/** A path's value in the file: at its top, else inside the `credentials` object the CLIs wrap keys in. */
export function lookupCredential(root: Record<string, unknown>, path: string): Found {
  const direct = lookup(root, path);
  if (direct.found) return direct;
  const inner = wrapped(root);
  return inner ? lookup(inner, path) : direct;
}

/** Whether any variable of the spec says where it is in a credentials file. */
export function mapsCredentials(spec: Spec): boolean {
  return spec.variables.some((variable) => variable.credentials.length > 0);
}

const MAX_NAMES = 20;

/** The names of the file's top-level fields (and of a wrapper's), for messages: never a value. */
export function topLevelNames(root: Record<string, unknown>): string {
  const inner = wrapped(root);
  const names = [
    ...Object.keys(root).map(printableName),
    ...(inner ? Object.keys(inner).map((name) => `${WRAPPER_FIELD}.${printableName(name)}`) : []),
  ];
  if (names.length === 0) return 'none (the file is {})';
  const shown = names.slice(0, MAX_NAMES).join(', ');
  return names.length > MAX_NAMES ? `${shown} and ${names.length - MAX_NAMES} more` : shown;
}

/**
 * Every text in the file under a name that says it is secret (clientsecret, key, private_key,
 * password, …) or a certificate, which the redactor hides as it hides secret variables, whether or
 * not a variable takes it.
 */
export function fileSecrets(root: Record<string, unknown>): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, name: string | undefined) => {
    if (typeof value === 'string') {
      if (name !== undefined && value !== '' && (isSecretName(name) || /certificate/i.test(name)))
        found.add(value);
    } else if (Array.isArray(value)) {
      for (const element of value) walk(element, name);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, element] of Object.entries(value)) walk(element, key);
    }
  };
  walk(root, undefined);
  return [...found];
}

export interface CredentialFill {
  /** The variables the file gives a value, by name. */
  values: Record<string, string>;
  /** Values to redact: those of secret variables and of every secret-named field of the file. */
  secrets: string[];
}

/**
 * The values the credentials file gives one spec's variant. A variable the variant needs, none of
 * whose paths the file has, is a problem unless it has a default or another source (`given`: an
 * environment file, TOKENMAN_* variables, --env-var) sets it; so is a path that holds an object or a
 * list.
 */
export function credentialValues(
  spec: Spec,
  variant: VariantDef,
  credentials: CredentialsFile,
  given: ReadonlySet<string>,
): CredentialFill | { problem: Problem } {
  const used = new Set(variablesUsedBy(spec, variant));
  const values: Record<string, string> = {};
  const secrets = fileSecrets(credentials.root);
  const problem = (message: string, hint: string): { problem: Problem } => ({
    problem: { ruleId: 'credentials-file', severity: 'error', message, hint, file: credentials.file },
  });
  const needs = variant.key ? `${spec.id} (${variant.key})` : spec.id;
  for (const variable of spec.variables) {
    if (variable.credentials.length === 0) continue;
    const hit = variable.credentials
      .map((path) => ({ path, at: lookupCredential(credentials.root, path) }))
      .find(({ at }) => at.found);
    if (!hit?.at.found) {
      // Not needed, or given otherwise: by another source, or by the spec's own default.
      const hasDefault = (variant.defaults[variable.name] ?? '') !== '';
      if (!used.has(variable.name) || variable.optional || hasDefault || given.has(variable.name)) continue;
      const tried = `${variable.credentials.length > 1 ? 'none of' : 'no'} ${variable.credentials.join(', ')}`;
      return problem(
        `this file has ${tried} for ${variable.name} of ${spec.file} (${needs} needs it); its top-level fields are ${topLevelNames(credentials.root)}`,
        `give the credentials file of ${spec.name}, or set ${variable.name} with --env-var ${variable.name}=…`,
      );
    }
    const { value } = hit.at;
    if (typeof value === 'object') {
      const fields =
        Array.isArray(value) || value === null
          ? []
          : Object.keys(value as Record<string, unknown>).map(printableName);
      const example = Array.isArray(value) ? `${hit.path}[0]` : `${hit.path}.${fields[0] ?? 'field'}`;
      const shown = fields.length > MAX_NAMES ? [...fields.slice(0, MAX_NAMES), '…'] : fields;
      return problem(
        `${hit.path} in this file is ${kindOf(value)}${fields.length ? ` (fields ${shown.join(', ')})` : ''}, where ${variable.name} of ${spec.file} needs text`,
        `point variables.${variable.name}.credentials of ${spec.file} at a field that holds text, as in ${example}`,
      );
    }
    // A number or a boolean (a port, a flag) becomes its JSON text.
    const text = String(value);
    values[variable.name] = text;
    if (variable.secret && text !== '') secrets.push(text);
  }
  return { values, secrets: [...new Set(secrets)] };
}

/** The key of one spec's variant in the map `credentialFills` returns. */
export function fillKey(spec: Spec, variant: VariantDef): string {
  return `${spec.file}\u0000${variant.key}`;
}

/**
 * The credentials file's values for each run's spec and variant, each spec by its own paths; a spec
 * that declares none is left out (filled as without the file). Problems when a run's values are not
 * in the file, or when no spec of the run declares any path (the file would fill nothing).
 */
export function credentialFills(
  runs: ReadonlyArray<{ spec: Spec; variant: VariantDef }>,
  credentials: CredentialsFile,
  given: (spec: Spec) => ReadonlySet<string>,
): { fills: Map<string, CredentialFill>; problems: Problem[] } {
  const fills = new Map<string, CredentialFill>();
  const problems: Problem[] = [];
  const specs = new Set(runs.map((run) => run.spec));
  if (![...specs].some(mapsCredentials)) {
    const named = [...specs].map((spec) => spec.file);
    problems.push({
      ruleId: 'credentials-file',
      severity: 'error',
      message: `${named.length === 1 ? `${named[0]} says nowhere` : `none of ${named.join(', ')} says`} where its variables are in a credentials file (no variable has credentials:), so this file would fill nothing`,
      hint: 'add credentials: with the field of the file (as in clientid or uaa.clientid) to the variables of the spec, or leave --credentials out',
      file: credentials.file,
    });
    return { fills, problems };
  }
  for (const { spec, variant } of runs) {
    if (!mapsCredentials(spec)) continue;
    const fill = credentialValues(spec, variant, credentials, given(spec));
    if ('problem' in fill) {
      if (!problems.some((p) => p.message === fill.problem.message)) problems.push(fill.problem);
    } else fills.set(fillKey(spec, variant), fill);
  }
  return { fills, problems };
}
