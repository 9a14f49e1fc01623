import { stringify } from 'yaml';
import {
  type Plan,
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
  beforeRequestScript,
  codeText,
  exampleAnswerScript,
  type PostmanScript,
  tokenAnswerScript,
} from './postman-script.js';
import { POSTMAN_V3_ENVIRONMENTS_DIR, v3CollectionDir, v3EnvironmentFileName } from './postman-v3-paths.js';

// The Postman target in Collection v3, the folder of YAML files the Postman app keeps in Git and
// the Postman CLI runs: `postman/collections/<spec>/` beside `postman/environments/`, so the
// output folder opens in the Postman app as a local workspace. Written from the same plan and the
// same scripts as the v2.1 collection, byte-stable: plain objects in a fixed key order, YAML with
// no folding, no random id anywhere (a collection's list-form auth would need one).
//
// The collection carries no auth of its own: a v3 runner puts the collection's (or a folder's)
// auth on every pm.sendRequest of a script, over the script's own Basic client authentication
// (the Postman CLI 1.62) and with an old token bound for the token endpoint. So each request that
// uses the token carries Bearer {{Token}} itself, and a "Get token" request none.

type Yaml = Record<string, unknown>;

/** YAML as the Postman app writes it for Git: no folding of long lines. */
function yaml(value: Yaml): string {
  return stringify(value, { lineWidth: 0, minContentWidth: 0 });
}

/** Postman's names for script types, at a collection or folder and at a request. */
function scripts(where: 'definition' | 'request', before: PostmanScript | null, after: PostmanScript | null) {
  const prefix = where === 'definition' ? 'http:' : '';
  const list: Yaml[] = [];
  if (before)
    list.push({ type: `${prefix}beforeRequest`, code: codeText(before), language: 'text/javascript' });
  if (after)
    list.push({ type: `${prefix}afterResponse`, code: codeText(after), language: 'text/javascript' });
  return list;
}

function keyValues(pairs: Pair[]): Array<{ key: string; value: string }> {
  return pairs.map(([key, value]) => ({ key, value }));
}

/**
 * A file name for a request or folder, as the Postman app makes one: the characters a file system
 * may refuse become `-`, and a name already taken on the level (in any case) gets a number.
 */
function fileNames(names: string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const printable = [...name].map((char) => (char < ' ' ? '-' : char)).join('');
    const base = printable.replace(/[/\\:*?"<>|]+/g, '-').replace(/^[.\s]+|[.\s]+$/g, '') || 'request';
    let unique = base;
    for (let n = 2; taken.has(unique.toLowerCase()); n++) unique = `${base} ${n}`;
    taken.add(unique.toLowerCase());
    return unique;
  });
}

/** The name field, written only where the file name does not say it. */
function named(name: string, fileName: string): Yaml {
  return name === fileName ? {} : { name };
}

/** Items on one level of the collection are ordered 1000, 2000, ... as the app orders them. */
function order(index: number): number {
  return (index + 1) * 1000;
}

function tokenRequestFile(
  variant: VariantPlan,
  fileName: string,
  index: number,
  check: PostmanScript | null,
) {
  const request = variant.tokenRequest;
  const auth = variant.token.clientAuth;
  const body = request.body;
  const file: Yaml = {
    $kind: 'http-request',
    ...named(request.name, fileName),
    description: request.description,
    url: request.url,
    method: request.method,
    headers: keyValues(request.headers),
  };
  if (body) {
    if (body.encoding === 'json')
      file.body = { type: 'json', content: JSON.stringify(Object.fromEntries(body.params), null, 2) };
    else if (body.encoding === 'form-data')
      file.body = {
        type: 'formdata',
        content: body.params.map(([key, value]) => ({ key, type: 'text', value })),
      };
    else file.body = { type: 'urlencoded', content: keyValues(body.params) };
  }
  // Postman's own Basic auth shows the client id and secret where a person looks for them; the
  // RFC 6749 form is the pre-request script's to write.
  file.auth =
    auth.kind === 'basic' && auth.encoding === 'raw'
      ? {
          type: 'basic',
          credentials: [
            { key: 'username', value: auth.id },
            { key: 'password', value: auth.secret },
          ],
        }
      : { type: 'noauth' };
  if (check) file.scripts = scripts('request', null, check);
  // A 307 or 308 would re-send the body, client secret and password included, to wherever it points.
  file.settings = { followRedirects: false };
  file.order = order(index);
  return yaml(file);
}

/** A parameter as v3 lists it: its description where it has one, `disabled` where it is not sent. */
function parameter({ name, value, description, enabled }: RequestParameter, canDisable = true): Yaml {
  return {
    key: name,
    value,
    ...(description ? { description } : {}),
    ...(enabled || !canDisable ? {} : { disabled: true }),
  };
}

function requestFile(plan: Plan, request: RequestPlan, fileName: string, index: number): string {
  const file: Yaml = {
    $kind: 'http-request',
    ...named(request.name, fileName),
    ...(request.description ? { description: request.description } : {}),
    url: sentUrl(request),
    method: request.method,
  };
  if (request.headers.length) file.headers = request.headers.map((header) => parameter(header));
  // The URL's query string and the list agree (the linter checks it): those the URL writes itself,
  // then the plan's, an optional one listed but not in the URL.
  const query = [...urlQuery(request.url), ...request.query].map((entry) => parameter(entry));
  if (query.length) file.queryParams = query;
  if (request.pathVariables.length)
    file.pathVariables = request.pathVariables.map((entry) => parameter(entry, false));
  if (request.body) file.body = { type: 'json', content: request.body.text };
  file.auth =
    request.auth === 'none'
      ? { type: 'noauth' }
      : { type: 'bearer', credentials: [{ key: 'token', value: `{{${TOKEN_VARIABLES.token}}}` }] };
  file.scripts = scripts('request', null, exampleAnswerScript(plan, request));
  file.order = order(index);
  return yaml(file);
}

/** A file or folder on one level of the collection, named for its file once the level's names are known. */
type Entry = { name: string; write: (fileName: string, index: number) => Artifact[] };

/** The files of one level: each entry named uniquely on it and ordered as listed. */
function levelFiles(entries: Entry[]): Artifact[] {
  const names = fileNames(entries.map((entry) => entry.name));
  return entries.flatMap((entry, index) => entry.write(names[index] ?? entry.name, index));
}

/** The entries of a level of the request tree: a request file, or a folder with its definition. */
function requestEntries(plan: Plan, dir: string, entries: FolderEntry[]): Entry[] {
  return entries.map((entry): Entry => {
    const request = entry.request;
    if (request)
      return {
        name: request.name,
        write: (fileName, index) => [
          {
            fileName: `${dir}/${fileName}.request.yaml`,
            content: requestFile(plan, request, fileName, index),
          },
        ],
      };
    const folder = entry.folder;
    return {
      name: folder.name,
      write: (fileName, index) => [
        {
          fileName: `${dir}/${fileName}/.resources/definition.yaml`,
          content: yaml({
            $kind: 'collection',
            ...named(folder.name, fileName),
            description: requestFolderDescription(plan),
            order: order(index),
          }),
        },
        ...levelFiles(requestEntries(plan, `${dir}/${fileName}`, folder.entries)),
      ],
    };
  });
}

/** The Collection v3 folder of one spec's plan, and its environments. */
export function generateCollectionV3(plan: Plan): Artifact[] {
  const root = v3CollectionDir(plan);
  const files: Artifact[] = [];
  const definition: Yaml = {
    $kind: 'collection',
    name: plan.name,
    description: collectionDescription(plan),
    scripts: scripts('definition', beforeRequestScript(plan), null),
  };
  files.push({ fileName: `${root}/.resources/definition.yaml`, content: yaml(definition) });

  const check = tokenAnswerScript(plan);
  // The top level in run order: the "Get token" requests (or their folder), then the requests
  // that use the token and their folders.
  const folder = plan.tokenFolder;
  const tokenEntries: Entry[] = folder
    ? [
        {
          name: folder.name,
          write: (fileName, index) => tokenFolderFiles(plan, `${root}/${fileName}`, fileName, index, check),
        },
      ]
    : plan.variants.map((variant) => ({
        name: variant.tokenRequest.name,
        write: (fileName, index) => [
          {
            fileName: `${root}/${fileName}.request.yaml`,
            content: tokenRequestFile(variant, fileName, index, check),
          },
        ],
      }));
  files.push(...levelFiles([...tokenEntries, ...requestEntries(plan, root, requestTree(plan.requests))]));
  for (const variant of plan.variants) files.push(environmentFile(plan, variant));
  return files;
}

/** The folder of the "Get token" requests of a spec with several variants, which checks each. */
function tokenFolderFiles(
  plan: Plan,
  dir: string,
  fileName: string,
  index: number,
  check: PostmanScript,
): Artifact[] {
  const folder = plan.tokenFolder;
  if (!folder) return [];
  const names = fileNames(plan.variants.map((variant) => variant.tokenRequest.name));
  return [
    {
      fileName: `${dir}/.resources/definition.yaml`,
      content: yaml({
        $kind: 'collection',
        ...named(folder.name, fileName),
        description: folder.description,
        scripts: scripts('definition', null, check),
        order: order(index),
      }),
    },
    ...plan.variants.map((variant, i) => {
      const name = names[i] ?? variant.key;
      return { fileName: `${dir}/${name}.request.yaml`, content: tokenRequestFile(variant, name, i, null) };
    }),
  ];
}

function collectionDescription(plan: Plan): string {
  const lines = plan.description ? [plan.description.trim(), ''] : [];
  lines.push(
    `Generated by tokenman from \`${plan.source}\`: change the spec and rebuild rather than editing this collection.`,
    '',
    `Every request tokenman writes is authorised with Bearer \`{{${TOKEN_VARIABLES.token}}}\`; give a request you add the same Bearer auth. The collection's pre-request script fetches the token when it is missing or about to expire and keeps it in the environment.`,
  );
  return lines.join('\n');
}

/** A variant's environment as the Postman app writes it for Git. */
function environmentFile(plan: Plan, variant: VariantPlan): Artifact {
  return {
    fileName: `${POSTMAN_V3_ENVIRONMENTS_DIR}/${v3EnvironmentFileName(plan, variant)}`,
    content: yaml({
      name: variant.environment.name,
      values: variant.environment.values.map((entry) => ({
        key: entry.name,
        value: entry.value,
        enabled: true,
        type: entry.secret ? 'secret' : 'default',
      })),
    }),
  };
}
