// @ts-check
// {{Name}} templates, read as Postman and Bruno read them: the one home of the reference pattern.

/**
 * Postman's own pattern (postman-collection's Substitutor): the name is taken verbatim, so
 * `{{ Name }}` is another variable than `{{Name}}`. A new RegExp each call: one with the g flag
 * keeps its position between uses.
 * @returns {RegExp}
 */
export function tokenmanReferencePattern() {
  return /\{\{([^{}]*?)\}\}/g;
}

/**
 * Replaces {{Name}} as Postman does in a request, so the script sends what the visible request
 * sends: a value that itself holds {{Other}} (AuthUrl = https://{{Subdomain}}.example.com) is
 * resolved in turn, the whole text again after each round, for at most 19 rounds as Postman's own
 * substitution (a cycle is cut there); a name without a value inside a value stays as written,
 * {{Unknown}} literally. A name of the template itself without a value is reported in `missing`
 * and sends nothing: the template is the spec's, and the name one the environment should fill.
 * @param {string} template
 * @param {(name: string) => string | undefined} lookup
 * @param {string[]} [missing]
 * @returns {string}
 */
export function tokenmanResolve(template, lookup, missing) {
  let out = String(template).replace(tokenmanReferencePattern(), (_whole, name) => {
    const value = lookup(name);
    if (value === undefined || value === null) {
      if (missing) missing.push(name);
      return '';
    }
    return String(value);
  });
  for (let round = 1; round < 19; round++) {
    const next = out.replace(tokenmanReferencePattern(), (whole, name) => {
      const value = lookup(name);
      return value === undefined || value === null ? whole : String(value);
    });
    if (next === out) break;
    out = next;
  }
  return out;
}
