import { templateVariables } from '../spec/template.js';
import { clientCertificateTemplates, tokenTemplateFields } from '../spec/token-templates.js';
import type { PreStepDef, Spec, TokenRequestDef, VariableDef, VariantDef } from '../spec/types.js';

/** Every variable of a spec: its own, in its order, then those its API brings (base URL, path parameters). */
export function allVariables(spec: Pick<Spec, 'variables' | 'api'>): VariableDef[] {
  return [...spec.variables, ...(spec.api?.variables ?? [])];
}

function stringsIn(value: unknown, into: string[]): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const element of value) stringsIn(element, into);
  else if (value !== null && typeof value === 'object') {
    for (const [key, element] of Object.entries(value)) {
      into.push(key);
      stringsIn(element, into);
    }
  }
  return into;
}

function tokenStrings(token: TokenRequestDef): string[] {
  // The names of the extra parameters and headers count too: a variable there is still sent. The
  // client certificate's variables are not sent by the script, but the runners read them from the
  // environment, so it declares them.
  const names = [...token.params, ...token.headers].map(([name]) => name);
  const certificate = clientCertificateTemplates(token).map(([, template]) => template);
  return [...tokenTemplateFields(token).map(([, template]) => template), ...certificate, ...names];
}

/**
 * The templates of pre-steps, with the variables a step reads (`unless`) and fills (`set`) written
 * as references, so the variables they name count as used.
 */
export function preStepTemplates(steps: readonly PreStepDef[]): string[] {
  const strings: string[] = [];
  for (const step of steps) {
    strings.push(step.url, ...step.headers.flat(), `{{${step.unless}}}`);
    for (const [name] of step.set) strings.push(`{{${name}}}`);
  }
  return strings;
}

function namesIn(strings: string[]): Set<string> {
  return new Set(strings.flatMap((s) => templateVariables(s)));
}

/**
 * The templates of the requests that use the token: the spec's own, its API's operations, and the
 * requests of the collection it attaches to.
 */
function requestTemplates(spec: Spec): string[] {
  const strings: string[] = [];
  for (const request of spec.requests) {
    strings.push(request.url, ...request.headers.flat());
    stringsIn(request.json, strings);
  }
  if (spec.api) {
    strings.push(spec.api.baseUrl);
    for (const operation of spec.api.operations)
      for (const parameter of operation.pathParameters) strings.push(`{{${parameter.variable}}}`);
  }
  // The collection the spec attaches to: the spec's variables its requests send.
  for (const name of spec.collection?.variables ?? []) strings.push(`{{${name}}}`);
  return strings;
}

/**
 * The pre-steps a variant runs: those that fill a variable its token request or the example
 * requests use, or that a later such step needs, in spec order. API Connect's realm discovery
 * runs for the password grant, which sends the realm, and not for the api_key grant.
 */
export function preStepsOf(spec: Spec, variant: VariantDef): PreStepDef[] {
  const needed = namesIn([...tokenStrings(variant.token), ...requestTemplates(spec)]);
  const kept: PreStepDef[] = [];
  for (const step of [...spec.preSteps].reverse()) {
    if (!step.set.some(([name]) => needed.has(name))) continue;
    kept.unshift(step);
    for (const name of namesIn([step.url, ...step.headers.flat()])) needed.add(name);
  }
  return kept;
}

/** Every variable a variant's requests use: the spec's in its declaration order, then its API's. */
export function variablesUsedBy(spec: Spec, variant: VariantDef): string[] {
  const used = namesIn([
    ...tokenStrings(variant.token),
    ...preStepTemplates(preStepsOf(spec, variant)),
    ...requestTemplates(spec),
  ]);
  return allVariables(spec)
    .filter((v) => used.has(v.name))
    .map((v) => v.name);
}
