// @ts-check
// What the flow and the checks read and keep through pm, in every Postman runtime (the app, Newman,
// the Postman CLI): each runtime's quirks are handled in this folder, once.

/**
 * Where the token is kept: the environment when it declares the token variable (every generated
 * environment does), else the collection's variables. Not by whether the environment has a name:
 * the Postman CLI's Collection v3 runs leave pm.environment.name undefined, and the token kept in
 * the collection's variables would lose to the environment's empty Token.
 * @param {any} pm
 * @param {string} tokenName
 * @returns {any}
 */
export function tokenmanPostmanStore(pm, tokenName) {
  return pm.environment.has(tokenName) || pm.environment.name ? pm.environment : pm.collectionVariables;
}

/**
 * A variable as Postman substitutes it in a request; undefined when it has none.
 * @param {any} pm
 * @param {string} name
 * @returns {string | undefined}
 */
export function tokenmanPostmanGet(pm, name) {
  if (name.charAt(0) === '$') {
    // Postman's dynamic variables ({{$guid}}, {{$timestamp}}) exist only inside replaceIn.
    const reference = `{{${name}}}`;
    const generated = pm.variables.replaceIn(reference);
    return generated === reference ? undefined : generated;
  }
  const value = pm.variables.get(name);
  return value === undefined || value === null ? undefined : String(value);
}

/**
 * An answer of Postman's in neutral terms.
 * @param {any} response
 * @returns {import('../types.js').SandboxAnswer}
 */
export function tokenmanPostmanAnswer(response) {
  const text = response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch (_e) {
    body = undefined;
  }
  return {
    code: response.code,
    status: response.status,
    text: text,
    body: body,
    header: (name) => {
      const value = response.headers.get(name);
      return value === undefined || value === null ? undefined : String(value);
    },
  };
}

/**
 * The context of the checks and the flow over pm: variables, the kept token, the request's name.
 * @param {any} pm
 * @param {import('../types.js').StateNames} names
 * @returns {import('../types.js').SandboxContext}
 */
export function tokenmanPostmanContext(pm, names) {
  const store = tokenmanPostmanStore(pm, names.token);
  const environment = pm.environment.name || '';
  return {
    get: (name) => tokenmanPostmanGet(pm, name),
    state: {
      get: (name) => {
        const value = store.get(name);
        return value === undefined || value === null ? undefined : String(value);
      },
      set: (name, value) => {
        store.set(name, value);
      },
      unset: (name) => {
        store.unset(name);
      },
    },
    requestName: pm.info.requestName,
    environmentName: environment,
    setHint: `in the environment (${environment || 'no environment'})`,
    base64: require('btoa'),
    unbase64: require('atob'),
    test: (name, check) => {
      pm.test(name, check);
    },
  };
}
