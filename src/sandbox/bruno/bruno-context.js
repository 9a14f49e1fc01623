// @ts-check
// What the flow and the checks read and keep through bru, in `bru run` and the Bruno app, in both of
// Bruno's sandboxes: Bruno's quirks are handled in this folder, once.

/**
 * A response body as text and as JSON (undefined when it is not JSON): axios parses JSON itself.
 * @param {unknown} data
 * @returns {{ text: string, body: unknown }}
 */
export function tokenmanBrunoBody(data) {
  if (typeof data === 'string') {
    try {
      return { text: data, body: JSON.parse(data) };
    } catch (_e) {
      return { text: data, body: undefined };
    }
  }
  if (data === undefined || data === null) return { text: '', body: undefined };
  if (typeof data === 'object') return { text: JSON.stringify(data), body: data };
  return { text: String(data), body: data };
}

/**
 * A header of the plain object axios gives, by its lower-case name.
 * @param {unknown} headers
 * @param {string} name
 * @returns {string | undefined}
 */
export function tokenmanBrunoHeader(headers, name) {
  if (!headers || typeof headers !== 'object') return undefined;
  /** @type {Record<string, unknown>} */
  const all = /** @type {any} */ (headers);
  for (const key of Object.keys(all)) {
    if (key.toLowerCase() === name) return String(all[key]);
  }
  return undefined;
}

/**
 * An answer in neutral terms, from a status, a status text, a body and a header reader.
 * @param {number} code
 * @param {string} status
 * @param {unknown} data
 * @param {(name: string) => unknown} header by lower-case name
 * @returns {import('../types.js').SandboxAnswer}
 */
export function tokenmanBrunoAnswer(code, status, data, header) {
  const read = tokenmanBrunoBody(data);
  return {
    code: code,
    status: status || '',
    text: read.text,
    body: read.body,
    header: (name) => {
      const value = header(name.toLowerCase());
      return value === undefined || value === null ? undefined : String(value);
    },
  };
}

/**
 * The context of the checks and the flow over bru and req. Tokens are kept in runtime variables,
 * which Bruno never writes to disk (unlike bru.setEnvVar).
 * @param {any} bru
 * @param {any} req
 * @param {(name: string, check: () => void) => void} test Bruno's test(), a global of a tests script
 * @returns {import('../types.js').SandboxContext}
 */
export function tokenmanBrunoContext(bru, req, test) {
  const environment = bru.getEnvName() || '';
  return {
    get: (name) => {
      // Runtime variables first (tokens, pre-step results), then every other scope.
      const runtime = bru.getVar(name);
      if (runtime !== undefined && runtime !== null && runtime !== '') return String(runtime);
      const reference = `{{${name}}}`;
      const value = bru.interpolate(reference);
      // Bruno leaves a reference to a variable that is declared nowhere as it is.
      if (value === reference || value === undefined || value === null) return undefined;
      return String(value);
    },
    state: {
      get: (name) => {
        const value = bru.getVar(name);
        return value === undefined || value === null ? undefined : String(value);
      },
      set: (name, value) => {
        bru.setVar(name, String(value));
      },
      unset: (name) => {
        bru.setVar(name, '');
      },
    },
    requestName: req.getName(),
    environmentName: environment,
    setHint: `in the environment (${environment || 'no environment'}) or pass --env-var`,
    base64: btoa,
    unbase64: atob,
    test: test,
  };
}
