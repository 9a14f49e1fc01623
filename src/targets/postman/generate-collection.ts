import { apiRequestHeaders, jsonBodyText } from '../../plan/api-request.js';
import { grantParams, tokenRequestHeaders } from '../../plan/token-plan.js';
import { TOKEN_VARIABLES } from '../../spec/reserved-variables.js';
import type { ApiRequestDef, Spec, TokenRequestDef, VariantDef } from '../../spec/types.js';
import { buildScriptConfig, exampleAnswerConfig, type ItemIds, tokenAnswerConfig } from './script-config.js';
import { stableId } from './stable-id.js';
import { type ScriptCall, tokenScriptExec } from './token-script-source.js';

type Pair = { key: string; value: string };
type Json = Record<string, unknown>;

const POSTMAN_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

function itemIds(spec: Spec): ItemIds {
  return {
    tokenRequest: (variant) => stableId(spec.id, 'token-request', variant.key),
    apiRequest: (index) => stableId(spec.id, 'request', String(index)),
  };
}

/**
 * One script event of the collection (`itemId` undefined) or of an item. Only requests tokenman
 * generates carry a test script: the collection's own would run after every request a user adds.
 */
function scriptEvent(specId: string, listen: 'prerequest' | 'test', call: ScriptCall, itemId?: string): Json {
  const path = itemId === undefined ? [listen] : [listen, itemId];
  return {
    id: stableId(specId, 'event', ...path),
    listen,
    script: {
      id: stableId(specId, 'script', ...path),
      type: 'text/javascript',
      exec: tokenScriptExec(call),
    },
  };
}

function pairs(entries: Array<[string, string]>): Pair[] {
  return entries.map(([key, value]) => ({ key, value }));
}

function tokenRequestBody(token: TokenRequestDef, params: Array<[string, string]>): Json | undefined {
  switch (token.encoding) {
    case 'query':
      return undefined;
    case 'form-data':
      return { mode: 'formdata', formdata: params.map(([key, value]) => ({ key, value, type: 'text' })) };
    case 'json':
      return {
        mode: 'raw',
        raw: jsonBodyText(Object.fromEntries(params)),
        options: { raw: { language: 'json' } },
      };
    case 'urlencoded':
      return { mode: 'urlencoded', urlencoded: pairs(params) };
  }
}

function tokenRequestAuth(token: TokenRequestDef): Json {
  // Postman's basic auth sends id:secret raw, as curl -u does; the RFC 6749 encoding is added by the
  // collection's pre-request script instead.
  if (token.clientAuth === 'basic' && token.basicEncoding === 'raw') {
    return {
      type: 'basic',
      basic: [
        { key: 'username', value: token.clientId, type: 'string' },
        { key: 'password', value: token.clientSecret, type: 'string' },
      ],
    };
  }
  return { type: 'noauth' };
}

function tokenRequestUrl(token: TokenRequestDef, params: Array<[string, string]>): string {
  if (token.encoding !== 'query') return token.url;
  const query = params.map(([key, value]) => `${key}=${value}`).join('&');
  return `${token.url}${token.url.includes('?') ? '&' : '?'}${query}`;
}

function tokenItem(spec: Spec, variant: VariantDef, ids: ItemIds): Json {
  const { token } = variant;
  const params = grantParams(token);
  const name = spec.variants.length > 1 ? `Get token (${variant.name})` : 'Get token';
  const description = [
    `Fetches a token by hand with the ${token.grant} grant, so you can inspect it.`,
    `Its test script checks the answer; a good answer also stores \`${TOKEN_VARIABLES.token}\`.`,
    'Every other request gets its token by itself: you never need to send this one first.',
  ];
  if (token.discovery) {
    description.push(
      `Its URL \`{{${TOKEN_VARIABLES.endpoint}}}\` is the token endpoint the collection's script reads from the discovery document \`${token.discovery}\` before it is sent.`,
    );
  }
  if (spec.variants.length > 1) {
    description.push(
      `Runs only when \`${TOKEN_VARIABLES.variant}\` is \`${variant.key}\`; skipped otherwise.`,
    );
  }
  const body = tokenRequestBody(token, params);
  return {
    id: ids.tokenRequest(variant),
    name,
    // A 307 or 308 would re-send the body, client secret and password included, to wherever it
    // points; its test script names the redirect instead (tokenmanRedirectNote).
    protocolProfileBehavior: { followRedirects: false },
    event: [
      scriptEvent(
        spec.id,
        'test',
        { entry: 'tokenmanCheckTokenAnswer', config: tokenAnswerConfig(spec, variant) },
        ids.tokenRequest(variant),
      ),
    ],
    request: {
      method: token.method,
      header: pairs(tokenRequestHeaders(token)),
      url: tokenRequestUrl(token, params),
      auth: tokenRequestAuth(token),
      ...(body ? { body } : {}),
      description: { content: description.join('\n\n'), type: 'text/markdown' },
    },
  };
}

function apiItem(spec: Spec, request: ApiRequestDef, id: string): Json {
  const headers = apiRequestHeaders(request);
  return {
    id,
    name: request.name,
    event: [
      scriptEvent(
        spec.id,
        'test',
        { entry: 'tokenmanCheckExampleAnswer', config: exampleAnswerConfig(request) },
        id,
      ),
    ],
    request: {
      method: request.method,
      header: pairs(headers),
      url: request.url,
      ...(request.json !== undefined
        ? {
            body: {
              mode: 'raw',
              raw: jsonBodyText(request.json),
              options: { raw: { language: 'json' } },
            },
          }
        : {}),
      ...(request.description
        ? { description: { content: request.description, type: 'text/markdown' } }
        : {}),
    },
  };
}

function collectionDescription(spec: Spec): string {
  const lines = spec.description ? [spec.description.trim(), ''] : [];
  lines.push(
    `Generated by tokenman from \`specs/${spec.id}.yaml\`: change the spec and rebuild rather than editing this collection.`,
    '',
    `Every request is authorised with Bearer \`{{${TOKEN_VARIABLES.token}}}\`. The collection's pre-request script fetches the token when it is missing or about to expire and stores it in the active environment.`,
  );
  return lines.join('\n');
}

/**
 * The Postman Collection v2.1 JSON of one spec, written in the format's own terms (URLs as their raw
 * template, auth in the list form). It is not passed through the postman-collection SDK: loading
 * the SDK (faker, lodash and more) took more than half of a cold `tokenman build`. The SDK is the
 * oracle instead: test/targets/postman/sdk-reads-collections.test.ts proves it reads every field back as
 * written, and the end-to-end tests run every collection in Newman, which loads them with it.
 */
export function generateCollection(spec: Spec): Json {
  const ids = itemIds(spec);
  const config = buildScriptConfig(spec, ids);
  const info = {
    id: stableId(spec.id, 'collection'),
    name: spec.name,
    description: { content: collectionDescription(spec), type: 'text/markdown' },
  };
  const item = [
    ...spec.variants.map((variant) => tokenItem(spec, variant, ids)),
    ...spec.requests.map((request, index) => apiItem(spec, request, ids.apiRequest(index))),
  ];
  const auth = {
    type: 'bearer',
    bearer: [{ key: 'token', value: `{{${TOKEN_VARIABLES.token}}}`, type: 'string' }],
  };
  // The pre-request script alone: a request a user adds pays for one script, the cheap path of it
  // while the token is fresh.
  const event = [scriptEvent(spec.id, 'prerequest', { entry: 'tokenmanBeforeRequest', config })];
  return {
    info: { _postman_id: info.id, name: info.name, schema: POSTMAN_SCHEMA, description: info.description },
    item,
    event,
    auth,
    variable: [],
  };
}
