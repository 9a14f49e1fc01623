import { stringify } from 'yaml';
import { apiRequestHeaders, jsonBodyText } from '../../plan/api-request.js';
import { planTokenRequests, type TokenPlan } from '../../plan/token-plan.js';
import { variablesUsedBy } from '../../plan/variables-used.js';
import { TOKEN_VARIABLES } from '../../spec/reserved-variables.js';
import type { ApiRequestDef, Spec } from '../../spec/types.js';
import type { Artifact } from '../generate-artifacts.js';
import {
  BRUNO_COLLECTION_FILE,
  BRUNO_ENVIRONMENTS_DIR,
  BRUNO_TOKEN_REQUEST_STEM,
  brunoCollectionDir,
  brunoEnvironmentName,
  TOKEN_REQUEST_DOCS_LEAD,
} from './bruno-paths.js';
import { buildBrunoScriptConfig } from './bruno-script-config.js';
import { brunoScriptCode } from './bruno-token-script-source.js';

// The Bruno target: per spec, a collection in Bruno's OpenCollection YAML format, built from the
// token plans alone. Files are written the way Bruno's own writer saves them (key order, a blank line
// between top-level blocks, `secret: true` first), so opening and saving a collection in the Bruno
// app leaves no diff in files a user commits.

type Yaml = Record<string, unknown>;
type Pairs = Array<[string, string]>;

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

/** YAML text of top-level blocks, one blank line apart; deterministic for a given input. */
function yamlBlocks(blocks: Yaml[]): string {
  return blocks.map((block) => stringify(block, { lineWidth: 0, minContentWidth: 0 })).join('\n');
}

function nameValues(pairs: Pairs): Array<{ name: string; value: string }> {
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

function tokenRequestName(spec: Spec, plan: TokenPlan): string {
  return spec.variants.length > 1 ? `Get token (${plan.variantName})` : 'Get token';
}

function tokenRequestBody(plan: TokenPlan): Yaml | undefined {
  switch (plan.encoding) {
    case 'query':
      return undefined;
    case 'form-data':
      return {
        type: 'multipart-form',
        data: plan.params.map(([name, value]) => ({ name, type: 'text', value })),
      };
    case 'json':
      return { type: 'json', data: JSON.stringify(Object.fromEntries(plan.params), null, 2) };
    case 'urlencoded':
      return { type: 'form-urlencoded', data: nameValues(plan.params) };
  }
}

function tokenRequestUrl(plan: TokenPlan): string {
  if (plan.encoding !== 'query') return plan.url;
  const query = plan.params.map(([key, value]) => `${key}=${value}`).join('&');
  return `${plan.url}${plan.url.includes('?') ? '&' : '?'}${query}`;
}

function tokenRequestDocs(spec: Spec, plan: TokenPlan): string {
  const lines = [
    `${TOKEN_REQUEST_DOCS_LEAD} with the ${plan.grant} grant, so you can inspect it.`,
    `Its checks live in the collection's tests script; a good answer also stores \`${TOKEN_VARIABLES.token}\`.`,
    'Every other request gets its token by itself: you never need to send this one first.',
  ];
  if (plan.clientAuth.kind === 'basic')
    lines.push("The collection's script adds the Basic `Authorization` header when it is sent.");
  if (plan.discovery)
    lines.push(
      `Its URL \`{{${TOKEN_VARIABLES.endpoint}}}\` is the token endpoint the collection's script reads from the discovery document \`${plan.discovery.url}\` before it is sent.`,
    );
  if (plan.assertion?.source === 'sign')
    lines.push(
      `The collection's script signs \`${plan.assertion.param}\` (${plan.assertion.alg}) when it is sent, so its times are fresh; no file or variable keeps it.`,
    );
  if (spec.variants.length > 1)
    lines.push(`Runs only when \`${TOKEN_VARIABLES.variant}\` is \`${plan.variant}\`; skipped otherwise.`);
  return lines.join('\n\n');
}

function tokenRequestFile(spec: Spec, plan: TokenPlan, seq: number): string {
  const body = tokenRequestBody(plan);
  // No `auth`: Bruno reads an absent auth as none, so the collection's bearer token is not sent to
  // the token endpoint; Basic client authentication is added by the collection's script.
  const http: Yaml = { method: plan.method, url: tokenRequestUrl(plan), headers: nameValues(plan.headers) };
  if (body) http.body = body;
  return yamlBlocks([
    { info: { name: tokenRequestName(spec, plan), type: 'http', seq } },
    { http },
    // Not followed: a 307 or 308 would re-send the client secret and password wherever it points.
    { settings: { ...REQUEST_SETTINGS, followRedirects: false } },
    { docs: tokenRequestDocs(spec, plan) },
  ]);
}

function apiRequestFile(request: ApiRequestDef, seq: number): string {
  const headers = apiRequestHeaders(request);
  const http: Yaml = { method: request.method, url: request.url };
  if (headers.length) http.headers = nameValues(headers);
  if (request.json !== undefined) http.body = { type: 'json', data: jsonBodyText(request.json) };
  // Every request inherits the collection's bearer auth; Bruno reads a missing auth as none.
  http.auth = 'inherit';
  const blocks: Yaml[] = [{ info: { name: request.name, type: 'http', seq } }, { http }];
  blocks.push({ settings: REQUEST_SETTINGS });
  if (request.description) blocks.push({ docs: request.description });
  return yamlBlocks(blocks);
}

function collectionDocs(spec: Spec): string {
  const lines = spec.description ? [spec.description.trim(), ''] : [];
  lines.push(
    `Generated by tokenman from \`specs/${spec.id}.yaml\`: change the spec and rebuild rather than editing these files.`,
    '',
    `Every request with \`auth: inherit\` is authorised with Bearer \`{{${TOKEN_VARIABLES.token}}}\`. The collection's before-request script fetches the token when it is missing or about to expire and keeps it in runtime variables, never on disk.`,
  );
  return lines.join('\n');
}

function collectionFile(spec: Spec, plans: TokenPlan[]): string {
  const config = buildBrunoScriptConfig(spec, plans, (plan) => tokenRequestName(spec, plan));
  return yamlBlocks([
    { opencollection: '1.0.0' },
    { info: { name: spec.name }, config: COLLECTION_CONFIG },
    {
      request: {
        auth: { type: 'bearer', token: `{{${TOKEN_VARIABLES.token}}}` },
        scripts: [
          { type: 'before-request', code: brunoScriptCode('before-request', config) },
          { type: 'tests', code: brunoScriptCode('tests', config) },
        ],
      },
    },
    {
      docs: { content: collectionDocs(spec), type: 'text/markdown' },
      bundled: false,
      extensions: {},
    },
  ]);
}

function environmentFile(spec: Spec, plan: TokenPlan): string {
  const variant = spec.variants.find((v) => v.key === plan.variant);
  if (!variant) throw new Error(`spec ${spec.id} has no variant ${plan.variant}`);
  const secrets = new Set(plan.secrets);
  const variables: Yaml[] = variablesUsedBy(spec, variant).map((name) =>
    // A secret never has a value in a file: Bruno would not read it anyway, it comes from --env-var.
    secrets.has(name) ? { secret: true, name } : { name, value: variant.defaults[name] ?? '' },
  );
  if (plan.variant) variables.push({ name: TOKEN_VARIABLES.variant, value: plan.variant });
  return yamlBlocks([{ name: brunoEnvironmentName(spec, variant), variables }]);
}

/** Request file names of a spec, in run order: each variant's "Get token", then the example requests. */
function requestFileNames(spec: Spec, plans: TokenPlan[]): string[] {
  const taken = new Set<string>();
  const unique = (base: string) => {
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    taken.add(name);
    return `${name}.yml`;
  };
  return [
    ...plans.map((plan) =>
      unique(plan.variant ? `${BRUNO_TOKEN_REQUEST_STEM}-${slug(plan.variant)}` : BRUNO_TOKEN_REQUEST_STEM),
    ),
    ...spec.requests.map((request) => unique(slug(request.name))),
  ];
}

/** The Bruno collection of one spec: `bruno/<spec>/…`, paths relative to the output folder. */
export function generateBrunoArtifacts(spec: Spec): Artifact[] {
  const plans = planTokenRequests(spec);
  const dir = brunoCollectionDir(spec);
  const fileNames = requestFileNames(spec, plans);
  const requestFiles = [
    ...plans.map((plan, index) => tokenRequestFile(spec, plan, index + 1)),
    ...spec.requests.map((request, index) => apiRequestFile(request, plans.length + index + 1)),
  ];
  return [
    { fileName: `${dir}/${BRUNO_COLLECTION_FILE}`, content: collectionFile(spec, plans) },
    ...requestFiles.map((content, index) => ({ fileName: `${dir}/${fileNames[index]}`, content })),
    ...plans.map((plan) => ({
      fileName: `${dir}/${BRUNO_ENVIRONMENTS_DIR}/${brunoEnvironmentName(spec, { key: plan.variant })}.yml`,
      content: environmentFile(spec, plan),
    })),
  ];
}
