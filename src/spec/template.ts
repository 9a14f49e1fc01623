// Postman substitutes `{{Name}}` anywhere in a URL, header or body, so a spec's strings use the same
// syntax. The name is taken verbatim (Postman does not trim spaces), so `{{ Name }}` is a different
// variable from `{{Name}}` and is reported as undefined rather than silently accepted.
// The pattern itself is the token script's (src/sandbox/template.js): every other module of the
// spec stage reads templates through here.
import { tokenmanReferencePattern } from '../sandbox/template.js';

/** One `{{Name}}` in a template: the name, and where the whole reference stands. */
export interface TemplateReference {
  name: string;
  index: number;
  length: number;
}

/** Each `{{Name}}` reference with its offset in the template, repeats included. */
export function templateReferences(template: string): TemplateReference[] {
  return [...template.matchAll(tokenmanReferencePattern())].map((match) => ({
    name: match[1] ?? '',
    index: match.index,
    length: match[0].length,
  }));
}

/** The variable names referenced as `{{Name}}` in a template, in order of first use, each once. */
export function templateVariables(template: string): string[] {
  return [...new Set(templateReferences(template).map((ref) => ref.name))];
}

/** The variable a template starts with (`{{AuthUrl}}/oauth/token` → AuthUrl), if it starts with one. */
export function leadingVariable(template: string): string | undefined {
  const first = templateReferences(template)[0];
  return first?.index === 0 ? first.name : undefined;
}

/** The template with each `{{Name}}` replaced by what `value` gives for it; the rest stays as it is. */
export function fillTemplate(template: string, value: (ref: TemplateReference) => string): string {
  let filled = '';
  let at = 0;
  for (const ref of templateReferences(template)) {
    filled += template.slice(at, ref.index) + value(ref);
    at = ref.index + ref.length;
  }
  return filled + template.slice(at);
}
