// Postman substitutes `{{Name}}` anywhere in a URL, header or body, so a spec's strings use the same
// syntax. The name is taken verbatim (Postman does not trim spaces), so `{{ Name }}` is a different
// variable from `{{Name}}` and is reported as undefined rather than silently accepted.
// The token script (src/targets/postman/token-script.js) writes the pattern again, as it cannot import
// it; test/targets/postman/token-script-helpers.test.ts proves both read the same references.
const REFERENCE = /\{\{([^{}]*)\}\}/g;

/** The variable names referenced as `{{Name}}` in a template, in order of first use, each once. */
export function templateVariables(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(REFERENCE)) {
    names.add(match[1] ?? '');
  }
  return [...names];
}

/** Each `{{Name}}` reference with its offset in the template, repeats included. */
export function templateReferences(template: string): Array<{ name: string; index: number; length: number }> {
  return [...template.matchAll(REFERENCE)].map((match) => ({
    name: match[1] ?? '',
    index: match.index,
    length: match[0].length,
  }));
}
