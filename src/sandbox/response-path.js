// @ts-check
// A response path says where an answer holds a value: `access_token`, `items[0].id`,
// `results[default=true].name`. The one home of how a path is read (the docs' jq, src/values too).

/**
 * One step of a response path; `text` is the step as written (`items`, `[0]`, `[default=true]`).
 * @typedef {{ kind: 'key', key: string, text: string }
 *   | { kind: 'index', index: number, text: string }
 *   | { kind: 'match', key: string, value: string, text: string }} PathSegment
 */

/**
 * The steps of a response path, in order. `[key=value]` is the first array element whose key, as
 * text, equals value: API Connect marks its default identity provider with "default": true.
 * @param {string} path
 * @returns {PathSegment[]}
 */
export function tokenmanPathSegments(path) {
  const texts = String(path).match(/[^.[\]]+|\[[^\]]*\]/g) || [];
  return texts.map((text) => {
    if (text.charAt(0) !== '[') return { kind: 'key', key: text, text: text };
    const inner = text.slice(1, -1);
    const eq = inner.indexOf('=');
    if (eq < 0) return { kind: 'index', index: Number(inner), text: text };
    return { kind: 'match', key: inner.slice(0, eq), value: inner.slice(eq + 1), text: text };
  });
}

/**
 * The value at a path, or undefined where a step finds nothing. Own keys only: a path such as
 * `constructor` finds nothing in an answer that has no such field.
 * @param {unknown} value
 * @param {string} path
 * @returns {unknown}
 */
export function tokenmanLookup(value, path) {
  const segments = tokenmanPathSegments(path);
  /** @type {any} */
  let current = value;
  for (let i = 0; i < segments.length; i++) {
    if (current === undefined || current === null) return undefined;
    const segment = segments[i];
    if (!segment) return undefined;
    if (segment.kind === 'key') {
      current = Object.hasOwn(current, segment.key) ? current[segment.key] : undefined;
    } else if (segment.kind === 'index') {
      current = Array.isArray(current) ? current[segment.index] : undefined;
    } else {
      let found;
      if (Array.isArray(current)) {
        for (let j = 0; j < current.length && found === undefined; j++) {
          const element = current[j];
          if (
            element !== null &&
            typeof element === 'object' &&
            String(element[segment.key]) === segment.value
          )
            found = element;
        }
      }
      current = found;
    }
  }
  return current;
}
