import {
  type Plan,
  type RequestPlan,
  requestFolderDescription,
  type TokenRequestPlan,
  type VariantPlan,
} from '../../plan/plan-spec.js';
import { type FolderEntry, requestTree } from '../../plan/request-folders.js';
import { TOKEN_VARIABLES } from '../../spec/reserved-variables.js';
import type { Pair } from '../../spec/token-params.js';
import { beforeRequestScript, exampleAnswerScript, execLines, tokenAnswerScript } from './postman-script.js';
import { postmanUrl } from './postman-url.js';
import { stableId } from './stable-id.js';

// The Postman target: a spec's plan as a Postman Collection v2.1, written in the format's own terms
// (URLs as their raw template and its parts, auth in the list form). It is not passed through the
// postman-collection SDK: loading the SDK (faker, lodash and more) took more than half of a cold
// `tokenman build`. The SDK is the oracle instead: test/targets/postman/sdk-reads-collections.test.ts
// proves it reads every field back as written, and the end-to-end tests run every collection in
// Newman, which loads them with it.

type Json = Record<string, unknown>;

const POSTMAN_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

function pairs(entries: Pair[]): Array<{ key: string; value: string }> {
  return entries.map(([key, value]) => ({ key, value }));
}

function description(content: string): Json {
  return { content, type: 'text/markdown' };
}

/** One script event of the collection, a folder or an item, its ids derived from where it stands. */
function scriptEvent(plan: Plan, listen: 'prerequest' | 'test', exec: string[], ownerId?: string): Json {
  const path = ownerId === undefined ? [listen] : [listen, ownerId];
  return {
    id: stableId(plan.id, 'event', ...path),
    listen,
    script: { id: stableId(plan.id, 'script', ...path), type: 'text/javascript', exec },
  };
}

function tokenAnswerTest(plan: Plan, ownerId: string): Json {
  return scriptEvent(plan, 'test', execLines(tokenAnswerScript(plan)), ownerId);
}

function tokenRequestBody(request: TokenRequestPlan): Json | undefined {
  const body = request.body;
  if (!body) return undefined;
  if (body.encoding === 'form-data')
    return {
      mode: 'formdata',
      formdata: body.params.map(([key, value]) => ({ key, value, type: 'text' })),
    };
  if (body.encoding === 'json')
    return {
      mode: 'raw',
      raw: JSON.stringify(Object.fromEntries(body.params), null, 2),
      options: { raw: { language: 'json' } },
    };
  return { mode: 'urlencoded', urlencoded: pairs(body.params) };
}

function tokenRequestAuth(variant: VariantPlan): Json {
  // Postman's basic auth sends id:secret raw, as curl -u does, and shows them where a person looks
  // for them; the RFC 6749 encoding is the collection's pre-request script's to write.
  const auth = variant.token.clientAuth;
  if (auth.kind === 'basic' && auth.encoding === 'raw') {
    return {
      type: 'basic',
      basic: [
        { key: 'username', value: auth.id, type: 'string' },
        { key: 'password', value: auth.secret, type: 'string' },
      ],
    };
  }
  return { type: 'noauth' };
}

function tokenItem(plan: Plan, variant: VariantPlan, withTest: boolean): Json {
  const request = variant.tokenRequest;
  const id = stableId(plan.id, 'token-request', variant.key);
  const body = tokenRequestBody(request);
  return {
    id,
    name: request.name,
    // A 307 or 308 would re-send the body, client secret and password included, to wherever it
    // points; its test script names the redirect instead.
    protocolProfileBehavior: { followRedirects: false },
    ...(withTest ? { event: [tokenAnswerTest(plan, id)] } : {}),
    request: {
      method: request.method,
      header: pairs(request.headers),
      url: request.url,
      auth: tokenRequestAuth(variant),
      ...(body ? { body } : {}),
      description: description(request.description),
    },
  };
}

/**
 * The "Get token" requests: one of them with its checks, or for a spec with several variants a
 * folder of them whose one test script checks each, so the checks are in the file once.
 */
function tokenItems(plan: Plan): Json[] {
  const folder = plan.tokenFolder;
  if (!folder) return plan.variants.map((variant) => tokenItem(plan, variant, true));
  const id = stableId(plan.id, 'token-folder');
  return [
    {
      id,
      name: folder.name,
      description: description(folder.description),
      item: plan.variants.map((variant) => tokenItem(plan, variant, false)),
      event: [tokenAnswerTest(plan, id)],
    },
  ];
}

/** How many of a collection's top-level items are its "Get token" requests, or their folder. */
export function tokenItemCount(plan: Pick<Plan, 'tokenFolder' | 'variants'>): number {
  return plan.tokenFolder ? 1 : plan.variants.length;
}

function requestItem(plan: Plan, request: RequestPlan): Json {
  const id = stableId(plan.id, ...request.key);
  const exec = execLines(exampleAnswerScript(plan, request));
  return {
    id,
    name: request.name,
    event: [scriptEvent(plan, 'test', exec, id)],
    request: {
      method: request.method,
      header: request.headers.map(({ name, value, description: text, enabled }) => ({
        key: name,
        value,
        ...(text ? { description: description(text) } : {}),
        ...(enabled ? {} : { disabled: true }),
      })),
      url: postmanUrl(request),
      // Without auth of its own a request inherits the collection's Bearer token.
      ...(request.auth === 'none' ? { auth: { type: 'noauth' } } : {}),
      ...(request.body
        ? { body: { mode: 'raw', raw: request.body.text, options: { raw: { language: 'json' } } } }
        : {}),
      ...(request.description ? { description: description(request.description) } : {}),
    },
  };
}

/** The items of a level of the request tree: requests, and a folder item for each folder. */
function requestItems(plan: Plan, entries: FolderEntry[]): Json[] {
  return entries.map((entry) => {
    if (entry.request) return requestItem(plan, entry.request);
    const { name, path, entries: inside } = entry.folder;
    // Derived from the folder's names, as a request's is from its key: the same every build.
    return {
      id: stableId(plan.id, 'folder', ...path),
      name,
      description: description(requestFolderDescription(plan)),
      item: requestItems(plan, inside),
    };
  });
}

function collectionDescription(plan: Plan): string {
  const lines = plan.description ? [plan.description.trim(), ''] : [];
  lines.push(
    `Generated by tokenman from \`${plan.source}\`: change the spec and rebuild rather than editing this collection.`,
    '',
    `Every request is authorised with Bearer \`{{${TOKEN_VARIABLES.token}}}\`. The collection's pre-request script fetches the token when it is missing or about to expire and stores it in the active environment.`,
  );
  return lines.join('\n');
}

/** The Postman Collection v2.1 JSON of one spec's plan. */
export function generateCollection(plan: Plan): Json {
  const collectionId = stableId(plan.id, 'collection');
  // The pre-request script alone at the collection's level: a request a user adds pays for one
  // script, the cheap path of it while the token is fresh.
  const exec = execLines(beforeRequestScript(plan));
  return {
    info: {
      _postman_id: collectionId,
      name: plan.name,
      schema: POSTMAN_SCHEMA,
      description: description(collectionDescription(plan)),
    },
    item: [...tokenItems(plan), ...requestItems(plan, requestTree(plan.requests))],
    event: [scriptEvent(plan, 'prerequest', exec)],
    auth: {
      type: 'bearer',
      bearer: [{ key: 'token', value: `{{${TOKEN_VARIABLES.token}}}`, type: 'string' }],
    },
    variable: [],
  };
}
