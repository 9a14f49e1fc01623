import {
  type Plan,
  REQUEST_CHECK_ROLE,
  type RequestPlan,
  requestFolderDescription,
  type VariantPlan,
} from '../../plan/plan-spec.js';
import { type FolderEntry, requestTree } from '../../plan/request-folders.js';
import { type RequestParameter, sentUrl, urlQuery } from '../../plan/request-plan.js';
import { TOKEN_VARIABLES } from '../../spec/reserved-variables.js';
import type { Pair } from '../../spec/token-params.js';
import type { Artifact } from '../artifact.js';
import {
  BRUNO_COLLECTION_FILE,
  BRUNO_ENVIRONMENTS_DIR,
  BRUNO_FOLDER_FILE,
  BRUNO_TOKEN_REQUEST_STEM,
  brunoCollectionDir,
  brunoEnvironmentName,
} from './bruno-paths.js';
import { brunoScriptCode } from './bruno-script.js';
import { yamlBlocks } from './yaml-blocks.js';

// The Bruno target: per spec, a collection in Bruno's OpenCollection YAML format, built from the
// spec's plan alone. Files are written the way Bruno's own writer saves them (key order, a blank line
// between top-level blocks, `secret: true` first), so opening and saving a collection in the Bruno
// app leaves no diff in files a user commits.

type Yaml = Record<string, unknown>;

/** Bruno's request settings, as its writer fills them in for a request that sets none. */
const REQUEST_SETTINGS = {
  encodeUrl: true,
  timeout: 0,
  followRedirects: true,
  maxRedirects: 5,
  forwardAuthorizationHeader: true,
};

/** The collection's proxy setting as Bruno's writer adds it: use the app's own proxy settings. */
const COLLECTION_CONFIG = {
  proxy: {
    inherit: true,
    config: {
      protocol: 'http',
      hostname: '',
      port: '',
      auth: { username: '', password: '' },
      bypassProxy: '',
    },
  },
};

function nameValues(pairs: Pair[]): Array<{ name: string; value: string }> {
  return pairs.map(([name, value]) => ({ name, value }));
}

/** A file name for a request: its name in lowercase words joined by dashes. */
function slug(name: string): string {
  const words = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return words || 'request';
}

function tokenRequestBody(variant: VariantPlan): Yaml | undefined {
  const body = variant.tokenRequest.body;
  if (!body) return undefined;
  switch (body.encoding) {
    case 'form-data':
      return {
        type: 'multipart-form',
        data: body.params.map(([name, value]) => ({ name, type: 'text', value })),
      };
    case 'json':
      return { type: 'json', data: JSON.stringify(Object.fromEntries(body.params), null, 2) };
    case 'urlencoded':
      return { type: 'form-urlencoded', data: nameValues(body.params) };
  }
}

/** The tests script that checks the answer of a "Get token" request. */
function tokenAnswerTests(plan: Plan): { type: 'tests'; code: string } {
  const code = brunoScriptCode(plan, {
    role: 'check of a "Get token" answer, its tests script',
    entry: 'bruno/token-answer-tests.js',
    data: plan.tokenAnswers,
    call: () => 'tokenmanBrunoTokenAnswerTests(bru, req, res, test, tokenman);',
  });
  return { type: 'tests', code };
}

/** A "Get token" request; with its checks, unless its folder holds them. */
function tokenRequestFile(plan: Plan, variant: VariantPlan, seq: number, withTests: boolean): string {
  const request = variant.tokenRequest;
  const body = tokenRequestBody(variant);
  // No `auth`: Bruno reads an absent auth as none, so the collection's bearer token is not sent to
  // the token endpoint; Basic client authentication is added by the collection's script.
  const http: Yaml = { method: request.method, url: request.url, headers: nameValues(request.headers) };
  if (body) http.body = body;
  return yamlBlocks([
    { info: { name: request.name, type: 'http', seq } },
    { http },
    ...(withTests ? [{ runtime: { scripts: [tokenAnswerTests(plan)] } }] : []),
    // Not followed: a 307 or 308 would re-send the client secret and password wherever it points.
    // Not encoded again: the collection's script sets the URL with its query already encoded (the
    // parameters of a query-encoded token request), which Bruno's encoding would encode twice.
    { settings: { ...REQUEST_SETTINGS, encodeUrl: false, followRedirects: false } },
    { docs: request.description },
  ]);
}

/** The folder of the "Get token" requests of a spec with several variants, and their checks. */
function tokenFolderFile(plan: Plan, folder: NonNullable<Plan['tokenFolder']>): string {
  return yamlBlocks([
    { info: { name: folder.name, type: 'folder', seq: 1 } },
    { request: { scripts: [tokenAnswerTests(plan)] } },
    { docs: { content: folder.description, type: 'text/markdown' } },
  ]);
}

/**
 * A header or parameter as Bruno's writer lists it: a parameter's type after its value, its
 * description where it has one, `disabled` where it is not sent.
 */
function brunoParameter(
  { name, value, description, enabled }: RequestParameter,
  type?: 'query' | 'path',
): Yaml {
  return {
    name,
    value,
    ...(type ? { type } : {}),
    ...(description ? { description } : {}),
    ...(enabled ? {} : { disabled: true }),
  };
}

function apiRequestFile(plan: Plan, request: RequestPlan, seq: number): string {
  // The URL as sent, its query string with the parameters that are sent; `params` lists them all,
  // as Bruno's own importer does: the query ones (the URL's own, then the plan's, an optional one
  // disabled), then the path ones.
  const http: Yaml = { method: request.method, url: sentUrl(request) };
  if (request.headers.length) http.headers = request.headers.map((header) => brunoParameter(header));
  const params = [
    ...[...urlQuery(request.url), ...request.query].map((entry) => brunoParameter(entry, 'query')),
    ...request.pathVariables.map((entry) => brunoParameter(entry, 'path')),
  ];
  if (params.length) http.params = params;
  if (request.body) http.body = { type: 'json', data: request.body.text };
  // `inherit` takes the collection's bearer auth (past folders, which set none); Bruno reads a
  // missing auth as none, which an operation that needs no token gets.
  if (request.auth === 'inherit') http.auth = 'inherit';
  const code = brunoScriptCode(plan, {
    role: `${REQUEST_CHECK_ROLE}, its tests script`,
    entry: 'bruno/example-answer-tests.js',
    data: { expectedStatus: request.expect },
    call: () => 'tokenmanBrunoExampleAnswerTests(res, test, tokenman);',
  });
  const blocks: Yaml[] = [
    { info: { name: request.name, type: 'http', seq } },
    { http },
    { runtime: { scripts: [{ type: 'tests', code }] } },
  ];
  blocks.push({ settings: REQUEST_SETTINGS });
  if (request.description) blocks.push({ docs: request.description });
  return yamlBlocks(blocks);
}

/** A folder of requests: its name and place among the folders beside it, auth inherited. */
function requestFolderFile(plan: Plan, name: string, seq: number): string {
  return yamlBlocks([
    { info: { name, type: 'folder', seq } },
    { request: { auth: 'inherit' } },
    { docs: { content: requestFolderDescription(plan), type: 'text/markdown' } },
  ]);
}

function collectionDocs(plan: Plan): string {
  const lines = plan.description ? [plan.description.trim(), ''] : [];
  lines.push(
    `Generated by tokenman from \`${plan.source}\`: change the spec and rebuild rather than editing these files.`,
    '',
    `Every request with \`auth: inherit\` is authorised with Bearer \`{{${TOKEN_VARIABLES.token}}}\`. The collection's before-request script fetches the token when it is missing or about to expire and keeps it in runtime variables, never on disk.`,
  );
  return lines.join('\n');
}

function collectionFile(plan: Plan): string {
  const families = [...new Set(plan.variants.flatMap((variant) => variant.token.signer ?? []))].sort();
  const code = brunoScriptCode(plan, {
    role: "token script, the collection's before-request script",
    entry: 'bruno/before-request.js',
    data: plan.script,
    signers: families,
    call: (signers) => `await tokenmanBrunoBeforeRequest(bru, req, tokenman, ${signers});`,
  });
  return yamlBlocks([
    { opencollection: '1.0.0' },
    { info: { name: plan.name }, config: COLLECTION_CONFIG },
    {
      request: {
        auth: { type: 'bearer', token: `{{${TOKEN_VARIABLES.token}}}` },
        scripts: [{ type: 'before-request', code }],
      },
    },
    {
      docs: { content: collectionDocs(plan), type: 'text/markdown' },
      bundled: false,
      extensions: {},
    },
  ]);
}

function environmentFile(plan: Plan, variant: VariantPlan): string {
  // The token script keeps its state in runtime variables: the environment holds the user's own.
  const variables: Yaml[] = variant.environment.values
    .filter((entry) => entry.kind !== 'state')
    .map((entry) =>
      // A secret never has a value in a file: Bruno would not read it anyway, it comes from --env-var.
      entry.secret ? { secret: true, name: entry.name } : { name: entry.name, value: entry.value },
    );
  return yamlBlocks([{ name: brunoEnvironmentName(plan, variant), variables }]);
}

/**
 * The "Get token" request files: one at the collection's top, or for a spec with several variants
 * a folder of them (`get-token/<variant>.yml`) whose folder.yml checks each. Bruno runs a level's
 * folders before its requests: so in a collection with folders of requests the one request stands
 * in that folder too (`get-token/get-token.yml`, with its checks), and is sent first either way.
 */
function tokenRequestFiles(plan: Plan, dir: string, hasFolders: boolean): Artifact[] {
  const folder = plan.tokenFolder;
  const [variant] = plan.variants;
  if (!folder && variant && !hasFolders)
    return [
      {
        fileName: `${dir}/${BRUNO_TOKEN_REQUEST_STEM}.yml`,
        content: tokenRequestFile(plan, variant, 1, true),
      },
    ];
  const folderDir = `${dir}/${BRUNO_TOKEN_REQUEST_STEM}`;
  if (!folder && variant)
    return [
      {
        fileName: `${folderDir}/${BRUNO_FOLDER_FILE}`,
        content: yamlBlocks([
          { info: { name: variant.tokenRequest.name, type: 'folder', seq: 1 } },
          { docs: { content: variant.tokenRequest.description, type: 'text/markdown' } },
        ]),
      },
      {
        fileName: `${folderDir}/${BRUNO_TOKEN_REQUEST_STEM}.yml`,
        content: tokenRequestFile(plan, variant, 1, true),
      },
    ];
  if (!folder) return [];
  return [
    { fileName: `${folderDir}/${BRUNO_FOLDER_FILE}`, content: tokenFolderFile(plan, folder) },
    ...plan.variants.map((variant, index) => ({
      fileName: `${folderDir}/${slug(variant.key)}.yml`,
      content: tokenRequestFile(plan, variant, index + 1, false),
    })),
  ];
}

/** A file or folder name of one level: the slug of its name, each once (`taken` holds the level's). */
function uniqueSlug(name: string, taken: Set<string>): string {
  const base = slug(name);
  let unique = base;
  for (let n = 2; taken.has(unique); n++) unique = `${base}-${n}`;
  taken.add(unique);
  return unique;
}

/**
 * The files of one level of the request tree: each request named by its name, each folder a
 * folder with its folder.yml. Bruno runs and lists a level's folders before its requests, each
 * kind in its `seq` order; `firstFolderSeq` and `firstRequestSeq` say where this level's start.
 */
function requestFiles(
  plan: Plan,
  dir: string,
  entries: FolderEntry[],
  taken: Set<string>,
  firstFolderSeq: number,
  firstRequestSeq: number,
): Artifact[] {
  let folderSeq = firstFolderSeq;
  let requestSeq = firstRequestSeq;
  return entries.flatMap((entry): Artifact[] => {
    if (entry.request)
      return [
        {
          fileName: `${dir}/${uniqueSlug(entry.request.name, taken)}.yml`,
          content: apiRequestFile(plan, entry.request, requestSeq++),
        },
      ];
    const folder = entry.folder;
    const folderDir = `${dir}/${uniqueSlug(folder.name, taken)}`;
    return [
      {
        fileName: `${folderDir}/${BRUNO_FOLDER_FILE}`,
        content: requestFolderFile(plan, folder.name, folderSeq++),
      },
      ...requestFiles(plan, folderDir, folder.entries, new Set(), 1, 1),
    ];
  });
}

/** The Bruno collection of one spec's plan: `bruno/<spec>/…`, paths relative to the output folder. */
export function generateBrunoArtifacts(plan: Plan): Artifact[] {
  const dir = brunoCollectionDir(plan);
  const tree = requestTree(plan.requests);
  const hasFolders = tree.some((entry) => entry.folder);
  const tokenInFolder = plan.tokenFolder !== null || hasFolders;
  return [
    { fileName: `${dir}/${BRUNO_COLLECTION_FILE}`, content: collectionFile(plan) },
    ...tokenRequestFiles(plan, dir, hasFolders),
    // At the top, beside the "Get token" request (or its folder) and the environments.
    ...requestFiles(
      plan,
      dir,
      tree,
      new Set([BRUNO_TOKEN_REQUEST_STEM, BRUNO_ENVIRONMENTS_DIR]),
      tokenInFolder ? 2 : 1,
      plan.variants.length + 1,
    ),
    ...plan.variants.map((variant) => ({
      fileName: `${dir}/${BRUNO_ENVIRONMENTS_DIR}/${brunoEnvironmentName(plan, variant)}.yml`,
      content: environmentFile(plan, variant),
    })),
  ];
}
