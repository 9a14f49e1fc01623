import postmanCollection from 'postman-collection';
import { tokenScriptExec } from '../script/token-script-source.js';
import { TOKEN_VARIABLES } from '../spec/reserved-variables.js';
import type { ApiRequestDef, Spec, TokenRequestDef, VariantDef } from '../spec/types.js';
import { buildScriptConfig, type ItemIds } from './script-config.js';
import { stableId } from './stable-id.js';

const { Collection } = postmanCollection;

type Pair = { key: string; value: string };
type Json = Record<string, unknown>;

function itemIds(spec: Spec): ItemIds {
  return {
    tokenRequest: (variant) => stableId(spec.id, 'token-request', variant.key),
    apiRequest: (index) => stableId(spec.id, 'request', String(index)),
  };
}

function pairs(entries: Array<[string, string]>): Pair[] {
  return entries.map(([key, value]) => ({ key, value }));
}

/** The parameters the visible "Get token" request sends; the script builds the same ones at run time. */
function grantParams(token: TokenRequestDef): Array<[string, string]> {
  const params: Array<[string, string]> = [['grant_type', token.grant]];
  if (token.grant === 'password') params.push(['username', token.username], ['password', token.password]);
  if (token.grant === 'refresh_token') params.push(['refresh_token', token.refreshToken]);
  if (token.clientAuth !== 'basic') params.push(['client_id', token.clientId]);
  if (token.clientAuth === 'body') params.push(['client_secret', token.clientSecret]);
  if (token.scope) params.push(['scope', token.scope]);
  return [...params, ...token.params];
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
        raw: `${JSON.stringify(Object.fromEntries(params), null, 2)}`,
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

function tokenRequestHeaders(token: TokenRequestDef): Pair[] {
  const headers: Array<[string, string]> = [['Accept', 'application/json'], ...token.headers];
  if (token.encoding === 'json') headers.push(['Content-Type', 'application/json']);
  if (token.encoding === 'urlencoded') headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
  return pairs(headers);
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
    `Its checks live in the collection's test script; a good answer also stores \`${TOKEN_VARIABLES.token}\`.`,
    'Every other request gets its token by itself: you never need to send this one first.',
  ];
  if (spec.variants.length > 1) {
    description.push(
      `Runs only when \`${TOKEN_VARIABLES.variant}\` is \`${variant.key}\`; skipped otherwise.`,
    );
  }
  const body = tokenRequestBody(token, params);
  return {
    id: ids.tokenRequest(variant),
    name,
    request: {
      method: token.method,
      header: tokenRequestHeaders(token),
      url: tokenRequestUrl(token, params),
      auth: tokenRequestAuth(token),
      ...(body ? { body } : {}),
      description: { content: description.join('\n\n'), type: 'text/markdown' },
    },
  };
}

function apiItem(request: ApiRequestDef, id: string): Json {
  const headers = [...request.headers];
  const hasContentType = headers.some(([key]) => key.toLowerCase() === 'content-type');
  if (request.json !== undefined && !hasContentType) headers.push(['Content-Type', 'application/json']);
  return {
    id,
    name: request.name,
    request: {
      method: request.method,
      header: pairs(headers),
      url: request.url,
      ...(request.json !== undefined
        ? {
            body: {
              mode: 'raw',
              raw: JSON.stringify(request.json, null, 2),
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

/** The Postman Collection v2.1 JSON of one spec, built with the postman-collection SDK. */
export function generateCollection(spec: Spec): Json {
  const ids = itemIds(spec);
  const config = buildScriptConfig(spec, ids);
  const event = (listen: 'prerequest' | 'test') => ({
    id: stableId(spec.id, 'event', listen),
    listen,
    script: {
      id: stableId(spec.id, 'script', listen),
      type: 'text/javascript',
      exec: tokenScriptExec(listen, config),
    },
  });
  const definition = {
    info: {
      id: stableId(spec.id, 'collection'),
      name: spec.name,
      description: { content: collectionDescription(spec), type: 'text/markdown' },
    },
    item: [
      ...spec.variants.map((variant) => tokenItem(spec, variant, ids)),
      ...spec.requests.map((request, index) => apiItem(request, ids.apiRequest(index))),
    ],
    auth: {
      type: 'bearer',
      bearer: [{ key: 'token', value: `{{${TOKEN_VARIABLES.token}}}`, type: 'string' }],
    },
    event: [event('prerequest'), event('test')],
  };
  // The SDK normalises the definition (URLs into parts, auth into its list form) into what Postman
  // itself exports; it is the same code Newman loads collections with.
  const json = new Collection(definition as never).toJSON() as Json & { item: Json[] };
  return { ...json, item: json.item.map((item, index) => withRawUrl(item, definition.item[index])) };
}

/** The SDK's toJSON leaves out url.raw, which Postman shows and exports; put the template back. */
function withRawUrl(item: Json, source: Json | undefined): Json {
  const request = item.request as Json;
  const raw = (source?.request as Json | undefined)?.url;
  if (typeof raw !== 'string') return item;
  return { ...item, request: { ...request, url: { raw, ...(request.url as Json) } } };
}
