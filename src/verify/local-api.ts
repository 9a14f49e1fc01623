import { RouteTable } from '../server/api-contract/route-table.js';
import type { ApiContract } from '../server/index.js';
import { readApiDocument } from '../spec/api/api-document.js';
import { parameterValues } from '../spec/api/example-values.js';
import { listOperations } from '../spec/api/list-operations.js';
import { fillTemplate, templateVariables } from '../spec/template.js';
import type { Spec } from '../spec/types.js';

// A spec's API on the embedded server (contract mode): the document its calls are held to, where
// its operations' paths start on the server, and values for the path parameters the API brought
// that the document allows (`{key}` of an integer is 0, not a word), so every operation's request
// is one the document accepts; so does a variable that is the whole value of a header a spec's own
// request sends to an operation of the document (UiPath's folder id, an integer).

export interface LocalApi {
  contract: ApiContract;
  /** Values the document allows for the variables of path parameters and of a request's headers. */
  values: Record<string, string>;
}

/** Documents read, by file: the runs of one verify read each once and hold to one value. */
export type ApiDocuments = Map<string, Promise<Record<string, unknown> | undefined>>;

/**
 * The spec's API for a run whose environment holds `values` (the API's host pointed at the
 * server); undefined for a spec without one, or whose document no longer reads.
 */
export async function localApi(
  spec: Spec,
  values: Record<string, string>,
  documents: ApiDocuments = new Map(),
): Promise<LocalApi | undefined> {
  const api = spec.api;
  if (!api) return undefined;
  let reading = documents.get(api.document);
  if (!reading) {
    reading = readApiDocument(api);
    documents.set(api.document, reading);
  }
  const document = await reading;
  if (!document) return undefined;
  const own = new Set(api.variables.map((variable) => variable.name));
  const pathValues: Record<string, string> = {};
  const byKey = new Map(listOperations(document).map((o) => [`${o.method} ${o.path}`, o]));
  for (const operation of api.operations) {
    const documented = byKey.get(`${operation.method} ${operation.path}`);
    for (const parameter of operation.pathParameters) {
      if (!own.has(parameter.variable) || parameter.variable in pathValues) continue;
      const declared = documented?.parameters.find((p) => p.in === 'path' && p.name === parameter.name);
      const value = declared ? parameterValues(document, { ...declared, required: true })[0] : undefined;
      if (value) pathValues[parameter.variable] = value;
    }
  }
  const fill = (template: string) =>
    fillTemplate(template, (ref) => pathValues[ref.name] ?? values[ref.name] ?? '');
  const basePath = pathOf(fill(api.baseUrl));
  const table = new RouteTable(document);
  const byName = new Map(spec.variables.map((variable) => [variable.name, variable]));
  for (const request of spec.requests) {
    const match = table.match(request.method, pathOf(fill(request.url).replace(/[?#].*$/, '')), basePath);
    if (match.kind !== 'operation') continue;
    for (const [name, value] of request.headers) {
      const [variable] = templateVariables(value);
      const declared = variable === undefined ? undefined : byName.get(variable);
      if (!declared || declared.secret || declared.default || value !== `{{${declared.name}}}`) continue;
      const parameter = match.operation.parameters.find(
        (p) => p.in === 'header' && String(p.name).toLowerCase() === name.toLowerCase(),
      );
      const example = parameter ? parameterValues(document, { ...parameter, required: true })[0] : undefined;
      if (example) pathValues[declared.name] = example;
    }
  }
  return { contract: { document, basePath }, values: pathValues };
}

/** The path of a base URL, '' for none: `/admin/realms` of `http://127.0.0.1:5000/admin/realms`. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname.replace(/\/+$/, '');
  } catch {
    return /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(url)?.[1]?.replace(/\/+$/, '') ?? '';
  }
}
