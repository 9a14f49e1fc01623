// The spec's `api` section, read: its document, the operations it selects as plain data (what the
// plan makes requests of), and the variables they bring. Run where a spec is loaded, so a broken
// document is reported like a broken spec: problems with places, nothing thrown.

import { didYouMean } from '../did-you-mean.js';
import type { Problem } from '../problem.js';
import type { Api } from '../spec-input.generated.js';
import type { ProblemInit } from '../spec-source.js';
import type { ApiDef, ApiOperation, ApiPathParameter, ApiValueParameter, VariableDef } from '../types.js';
import { API_URL_VARIABLE, defaultBaseUrl } from './base-url.js';
import { reachedFrom } from './document-refs.js';
import { parameterValues, requestBody } from './example-values.js';
import { type DocumentOperation, listOperations } from './list-operations.js';
import { PathVariables, variableNameOf } from './path-variables.js';
import { documentProblem, readDocument, type SpecProblem } from './read-document.js';
import { nameRequests } from './request-names.js';
import { methodAndPath, namesOf, type SelectionEntry, selectOperations } from './select-operations.js';

/** Headers OpenAPI says a parameter does not describe: the request's media types and its token. */
const NOT_PARAMETER_HEADERS = new Set(['accept', 'content-type', 'authorization']);

export interface ApiRead {
  /** Present when there is no error. */
  api?: ApiDef;
  problems: Problem[];
  /** The spec's variables the API uses (a path parameter's), so none is reported as unused. */
  usesVariables: string[];
}

export interface ReadApiInput {
  /** The spec file, as given: `api.openapi` is relative to its folder. */
  specFile: string;
  /** The spec's `api`, with the document it names. */
  api: Api & { openapi: string };
  /** The spec's declared variables. */
  variables: readonly VariableDef[];
  /** Makes a problem at a place of the spec. */
  atSpec: SpecProblem;
}

export async function readApi(input: ReadApiInput): Promise<ApiRead> {
  const { api, atSpec } = input;
  const read = await readDocument(input.specFile, api.openapi, atSpec);
  const problems = [...read.problems];
  const failed = (): ApiRead => ({ problems, usesVariables: [] });
  const { document, positions } = read;
  if (!document || problems.some((p) => p.severity === 'error')) return failed();
  const at = (init: ProblemInit, path: ReadonlyArray<string | number>) =>
    documentProblem(init, positions.logical(path));

  const all = listOperations(document);
  if (all.length === 0) {
    problems.push(
      at(
        {
          ruleId: 'api-no-operations',
          message: `the API document describes no operation: no path has a get, put, post, delete, options, head or patch`,
        },
        ['paths'],
      ),
    );
    return failed();
  }

  const selected = selectOperations(all, api.include, api.exclude);
  const entryPath = (side: 'include' | 'exclude', entry: SelectionEntry) => [
    'api',
    side,
    entry.kind,
    entry.index,
  ];
  for (const entry of selected.unmatchedIncludes)
    problems.push(atSpec(unmatched('include', entry, all), { path: entryPath('include', entry) }));
  for (const entry of selected.unmatchedExcludes)
    problems.push(
      atSpec(
        { ...unmatched('exclude', entry, all), severity: 'warning' },
        { path: entryPath('exclude', entry) },
      ),
    );
  if (selected.operations.length === 0 && selected.unmatchedIncludes.length === 0) {
    problems.push(
      atSpec(
        {
          ruleId: 'api-selects-nothing',
          message: api.include
            ? 'api.exclude leaves out every operation api.include selects'
            : 'api.exclude leaves out every operation of the document',
          hint: 'narrow api.exclude, or remove api: for a spec without the API',
        },
        { path: ['api', 'exclude'], key: true },
      ),
    );
  }
  if (problems.some((p) => p.severity === 'error')) return failed();

  // A broken $ref harms only the operations that use it: of the others, nothing is said.
  const holders = new Set(read.missing.flatMap((use) => [...use.holders]));
  const used = holders.size
    ? reachedFrom(
        document,
        selected.operations.flatMap((o) => [o.operation, ...o.parameters]),
        holders,
      )
    : new Set<object>();
  for (const use of read.missing) {
    if (![...use.holders].some((holder) => used.has(holder))) continue;
    problems.push(
      documentProblem(
        {
          ruleId: 'api-ref-missing',
          severity: 'warning',
          message: `$ref "${use.ref}" points at nothing${use.count > 1 ? ` (here and in ${use.count - 1} more ${use.count > 2 ? 'places' : 'place'})` : ''}; it is read as any value`,
          hint: 'the document is broken here: an example written from it has nothing in that place',
        },
        use.place(),
      ),
    );
  }

  const fallback = api.baseUrl === undefined ? defaultBaseUrl(document) : undefined;
  const declaresApiUrl = input.variables.some((v) => v.name === API_URL_VARIABLE);
  const pathVariables = new PathVariables(
    input.variables,
    api.pathVariables ?? {},
    fallback ? API_URL_VARIABLE : undefined,
  );
  const variables: VariableDef[] = [];
  if (fallback && !declaresApiUrl) {
    variables.push({
      name: API_URL_VARIABLE,
      description: fallback.origin
        ? `The API's scheme and host; the document's first server is ${fallback.origin}`
        : "The API's scheme and host, as https://api.example.com (the document names no server)",
      default: fallback.origin,
      secret: false,
      optional: false,
      credentials: [],
    });
  }
  const usesVariables = new Set<string>();
  if (fallback && declaresApiUrl) usesVariables.add(API_URL_VARIABLE);

  const { names, shared } = nameRequests(selected.operations);
  for (const group of shared) {
    const second = group.operations[1] as DocumentOperation;
    const list = group.operations.map((o) => `${o.method} ${o.path}`).join(', ');
    problems.push(
      at(
        {
          ruleId: 'api-same-name',
          severity: 'warning',
          message: `${group.operations.length} operations of folder "${group.folder}" are named "${group.name}" (${list}); each request's name gets its method and path`,
          hint: `leave out those you do not need with api.exclude.operations, as ["${group.operations.at(-1)?.method} ${group.operations.at(-1)?.path}"]`,
        },
        sourceOfName(second),
      ),
    );
  }

  const operations: ApiOperation[] = [];
  const declared = new Set<string>();
  const refused = new Set<string>();
  selected.operations.forEach((operation, index) => {
    const naming = names[index] ?? { folder: '', name: '' };
    const pathParameters: ApiPathParameter[] = [];
    for (const { name, segment } of templateParameters(operation.path)) {
      const variable = pathVariables.variableOf(name);
      if (!variable.ok) {
        const chosen = pathVariables.isChosen(name);
        const init: ProblemInit = {
          ruleId: 'api-path-variable',
          message: `path parameter {${name}} of ${operation.method} ${operation.path} would be filled by {{${variable.variable}}}, which is ${variable.meaning}`,
          hint: `give it a variable of its own in api.pathVariables, as ${name}: ${variableNameOf(name)}Param`,
        };
        // Once for a parameter, at the first operation that has it.
        if (!refused.has(name))
          problems.push(
            chosen
              ? atSpec(init, { path: ['api', 'pathVariables', name] })
              : at(init, ['paths', operation.path]),
          );
        refused.add(name);
        continue;
      }
      if (variable.declared) usesVariables.add(variable.variable);
      else if (!declared.has(variable.variable)) {
        declared.add(variable.variable);
        variables.push({
          name: variable.variable,
          description: `{${name}} in the API's paths, as in ${operation.method} ${operation.path}`,
          default: '',
          secret: false,
          optional: false,
          credentials: [],
        });
      }
      const parameter = operation.parameters.find((p) => p.in === 'path' && p.name === name);
      pathParameters.push({
        name,
        description: descriptionOf(parameter),
        variable: variable.variable,
        segment,
      });
    }
    const values = (place: 'query' | 'header'): ApiValueParameter[] =>
      operation.parameters
        .filter(
          (p) =>
            p.in === place &&
            !(place === 'header' && NOT_PARAMETER_HEADERS.has(String(p.name).toLowerCase())),
        )
        .map((p) => ({
          name: String(p.name),
          required: p.required === true,
          description: descriptionOf(p),
          values: parameterValues(document, p),
        }));
    const body = requestBody(document, operation.operation);
    if (body.failure)
      problems.push(
        at(
          {
            ruleId: 'api-body-example',
            severity: 'warning',
            message: `no example body could be written for ${operation.method} ${operation.path} from its schema (${body.failure}); it is sent as {}`,
          },
          ['paths', operation.path, operation.method.toLowerCase(), 'requestBody'],
        ),
      );
    operations.push({
      method: operation.method,
      path: operation.path,
      operationId: operation.operationId,
      tags: operation.tags,
      folder: naming.folder,
      name: naming.name,
      description: descriptionOf(operation.operation),
      pathParameters,
      query: values('query'),
      headers: values('header'),
      body: body.json,
      otherBody: body.other,
      noToken: needsNoToken(document, operation.operation),
      successStatus: successStatus(operation.operation),
    });
  });

  for (const parameter of Object.keys(api.pathVariables ?? {})) {
    if (selected.operations.some((o) => templateParameters(o.path).some((p) => p.name === parameter)))
      continue;
    problems.push(
      atSpec(
        {
          ruleId: 'api-path-variable-unused',
          severity: 'warning',
          message: `no selected operation has a path parameter {${parameter}}`,
          hint: 'path parameters are named as the document writes them, as in /users/{userId}',
        },
        { path: ['api', 'pathVariables', parameter], key: true },
      ),
    );
  }
  if (problems.some((p) => p.severity === 'error')) return failed();
  return {
    api: {
      document: read.shown,
      files: read.files,
      baseUrl: (api.baseUrl ?? fallback?.baseUrl ?? '').replace(/\/+$/, ''),
      variables,
      operations,
    },
    problems,
    usesVariables: [...usesVariables],
  };
}

/** The `{name}`s of a path template in order, each once, and whether it is a whole segment. */
export function templateParameters(path: string): Array<{ name: string; segment: boolean }> {
  const found = new Map<string, boolean>();
  for (const part of path.split('/')) {
    for (const match of part.matchAll(/\{([^{}]+)\}/g)) {
      const name = match[1] ?? '';
      if (!found.has(name)) found.set(name, part === `{${name}}`);
    }
  }
  return [...found].map(([name, segment]) => ({ name, segment }));
}

function unmatched(
  side: 'include' | 'exclude',
  entry: SelectionEntry,
  all: readonly DocumentOperation[],
): ProblemInit {
  const what =
    entry.kind === 'tags'
      ? `the document has no operation tagged "${entry.text}"`
      : entry.kind === 'paths'
        ? `no path of the document matches "${entry.text}"`
        : methodAndPath(entry.text)
          ? `the document has no operation ${entry.text}`
          : `the document has no operationId "${entry.text}"`;
  const match = didYouMean(entry.text, namesOf(all, entry.kind));
  return {
    ruleId: 'api-selects-nothing',
    message: `api.${side}.${entry.kind}[${entry.index}] selects no operation: ${what}`,
    hint: match
      ? `did you mean "${match}"?`
      : entry.kind === 'operations'
        ? 'an operation is named by its operationId, or as METHOD /path with the path as the document writes it'
        : entry.kind === 'paths'
          ? 'a path glob has * within a segment and ** across segments, as /users/** or /users/{id}'
          : 'tags are matched as the document writes them, case included',
  };
}

/** Where an operation's name comes from in the document: its summary, else its operationId. */
function sourceOfName(operation: DocumentOperation): Array<string | number> {
  const at = ['paths', operation.path, operation.method.toLowerCase()];
  if (typeof operation.operation.summary === 'string' && operation.operation.summary.trim())
    return [...at, 'summary'];
  if (operation.operationId) return [...at, 'operationId'];
  return at;
}

function descriptionOf(value: Record<string, unknown> | undefined): string {
  return typeof value?.description === 'string' ? value.description.trim() : '';
}

/** `security: []` on the operation, or on the document and not overridden: no token is sent. */
export function needsNoToken(document: Record<string, unknown>, operation: Record<string, unknown>): boolean {
  const security = operation.security ?? document.security;
  return Array.isArray(security) && security.length === 0;
}

/** The one documented 2xx status; null when there are none, several, or a range (2XX). */
function successStatus(operation: Record<string, unknown>): number | null {
  const responses = operation.responses;
  if (responses === null || typeof responses !== 'object') return null;
  const successes = Object.keys(responses).filter((code) => /^2(\d\d|XX)$/i.test(code));
  return successes.length === 1 && /^\d+$/.test(successes[0] ?? '') ? Number(successes[0]) : null;
}
