import { templateVariables } from '../spec/template.js';
import type { Spec, TokenRequestDef, VariantDef } from '../spec/types.js';
import { assertionTemplates } from './token-plan.js';

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
  return [
    token.url,
    token.clientId,
    token.clientSecret,
    token.username,
    token.password,
    token.refreshToken,
    ...assertionTemplates(token.assertion),
    token.subjectToken,
    token.apiKey,
    token.scope,
    ...token.params.flat(),
    ...token.headers.flat(),
  ];
}

/** Every declared variable a variant's requests use, in the spec's declaration order. */
export function variablesUsedBy(spec: Spec, variant: VariantDef): string[] {
  const strings = tokenStrings(variant.token);
  for (const step of spec.preSteps) {
    strings.push(step.url, ...step.headers.flat(), `{{${step.unless}}}`);
    for (const [name] of step.set) strings.push(`{{${name}}}`);
  }
  for (const request of spec.requests) {
    strings.push(request.url, ...request.headers.flat());
    stringsIn(request.json, strings);
  }
  const used = new Set(strings.flatMap((s) => templateVariables(s)));
  return spec.variables.filter((v) => used.has(v.name)).map((v) => v.name);
}
