// OpenID Connect discovery in the real `bru run` (never mocked) on 127.0.0.1: the Bruno collection's
// script reads the token URL from the issuer's discovery document once, then asks the embedded
// token server for one token for every request, the visible "Get token" request included; every
// fault of the document fails the run with the words the user sees, and no token request or API
// call goes out. The issuer is a stand-in whose document a test writes, naming the embedded
// server's token endpoint; its userinfo wants a bearer token. Each `bru run` takes a few seconds.

import { writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import type { VariantDef } from '../../src/spec/types.js';
import { brunoTempRoot, runBrunoCollection, writeBrunoCollection } from '../support/run-bruno.js';
import { loadValidSpec } from '../support/specs.js';
import { startVendorServer, type VendorAnswer, type VendorServer } from '../support/vendor-server.js';

const spec = await loadValidSpec(
  new URL('../fixtures/valid/discovery/keycloak-discovery.yaml', import.meta.url).pathname,
);
const variant = spec.variants.find((v) => v.key === 'client-secret') as VariantDef;
const DOCUMENT_PATH = '/realms/master/.well-known/openid-configuration';
const TOKEN_PATH = '/realms/master/protocol/openid-connect/token';
const EXAMPLES = ['userinfo.yml', 'added-later.yml', 'added-later-2.yml'];

let server: TokenServer;
let issuer: VendorServer;
let dir: string;
let documentAnswer: () => VendorAnswer;

const documentUrl = () => `${issuer.url}${DOCUMENT_PATH}`;
const goodDocument = (): VendorAnswer => ({
  body: JSON.stringify({
    issuer: `${issuer.url}/realms/master`,
    token_endpoint: `${server.url}${TOKEN_PATH}`,
  }),
});
const documentReads = () => issuer.paths.filter((path) => path === DOCUMENT_PATH).length;
const apiCalls = () => issuer.paths.filter((path) => path.endsWith('/userinfo')).length;

function issuerAnswer(request: IncomingMessage): VendorAnswer {
  if (request.url === DOCUMENT_PATH) return documentAnswer();
  const bearer = /^Bearer \S+$/.test(request.headers.authorization ?? '');
  return bearer ? { body: '{"sub":"tm"}' } : { status: 401, body: '{"error":"invalid_token"}' };
}

/** A request a user adds to the folder: it inherits the collection's auth, so the script runs first. */
function addRequest(file: string, seq: number): void {
  writeFileSync(
    join(dir, file),
    [
      'info:',
      `  name: ${file}`,
      '  type: http',
      `  seq: ${seq}`,
      'http:',
      '  method: GET',
      '  url: "{{KeycloakUrl}}/realms/{{Realm}}/protocol/openid-connect/userinfo"',
      '  auth: inherit',
      'runtime:',
      '  scripts:',
      '    - type: tests',
      '      code: |-',
      '        test("answers 200", function () { expect(res.getStatus()).to.equal(200); });',
      '',
    ].join('\n'),
  );
}

beforeAll(async () => {
  server = await startTokenServer();
  issuer = await startVendorServer(issuerAnswer);
  dir = writeBrunoCollection(spec, brunoTempRoot());
  addRequest('added-later.yml', 8);
  addRequest('added-later-2.yml', 9);
});
afterAll(async () => {
  await issuer.close();
  await server.close();
});
beforeEach(() => {
  issuer.paths.length = 0;
  documentAnswer = goodDocument;
});

describe('a good discovery document', () => {
  test('the script reads it once and fetches one token for several requests', async () => {
    const run = await runBrunoCollection(spec, variant, dir, server, {
      values: { KeycloakUrl: issuer.url },
      paths: EXAMPLES,
    });
    expect(run.failures).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(documentReads()).toBe(1);
    expect(run.stats.tokenCalls).toBe(1);
    expect(apiCalls()).toBe(3);
  });

  test('the visible "Get token" request is sent to the endpoint read, and its token reused', async () => {
    const run = await runBrunoCollection(spec, variant, dir, server, {
      values: { KeycloakUrl: issuer.url },
      paths: ['get-token/client-secret.yml', ...EXAMPLES],
    });
    expect(run.failures).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(documentReads()).toBe(1);
    expect(run.stats.tokenCalls).toBe(1);
    expect(apiCalls()).toBe(3);
  });
});

describe('a discovery document that cannot be used fails the run in words, and sends nothing more', () => {
  const cases: Array<[string, () => VendorAnswer, (url: string) => string]> = [
    [
      'a 404',
      () => ({ status: 404, body: '{"error":"Realm does not exist"}' }),
      (url) => `the discovery document at ${url} could not be read: HTTP 404 Not Found: Realm does not exist`,
    ],
    [
      'an HTML page',
      () => ({ headers: { 'content-type': 'text/html' }, body: '<html><title>Sign in</title></html>' }),
      (url) =>
        `the discovery document at ${url} is not a JSON object (text/html: <html><title>Sign in</title></html>)`,
    ],
    [
      'no token_endpoint',
      () => ({
        body: JSON.stringify({ issuer: `${issuer.url}/realms/master`, jwks_uri: `${issuer.url}/certs` }),
      }),
      (url) => `the discovery document at ${url} has no token_endpoint (fields: issuer, jwks_uri)`,
    ],
    [
      // Bruno's script reads the document with the same function as Postman's.
      'an http token_endpoint (a downgrade)',
      () => ({
        body: JSON.stringify({
          issuer: `${issuer.url}/realms/master`,
          token_endpoint: 'http://tokenman-downgrade.invalid/token',
        }),
      }),
      (url) =>
        `the discovery document at ${url} names token_endpoint http://tokenman-downgrade.invalid/token, which is not https: the credentials would be sent in clear, so nothing was sent`,
    ],
    [
      'a redirect to another host',
      () => ({
        status: 302,
        headers: { location: `${server.url.replace('127.0.0.1', 'localhost')}${DOCUMENT_PATH}` },
        body: '',
      }),
      (url) =>
        `the discovery document at ${url} redirects (HTTP 302) to ${server.url.replace('127.0.0.1', 'localhost')}${DOCUMENT_PATH}; tokenman does not follow it`,
    ],
  ];
  test.each(cases)('%s', async (_, answer, words) => {
    documentAnswer = answer;
    const run = await runBrunoCollection(spec, variant, dir, server, {
      values: { KeycloakUrl: issuer.url },
      paths: ['userinfo.yml'],
    });
    expect(run.exitCode).toBe(1);
    expect(run.failures.join('\n')).toContain(words(documentUrl()));
    expect(run.stats.tokenCalls).toBe(0);
    expect(apiCalls()).toBe(0);
  });

  test('a host that does not answer', async () => {
    const closed = await startTokenServer();
    const url = closed.url;
    await closed.close();
    const run = await runBrunoCollection(spec, variant, dir, server, {
      values: { KeycloakUrl: url },
      paths: ['userinfo.yml'],
    });
    expect(run.exitCode).toBe(1);
    expect(run.failures.join('\n')).toContain(
      `could not reach the discovery document at ${url}${DOCUMENT_PATH}: connect ECONNREFUSED`,
    );
    expect(run.stats.tokenCalls).toBe(0);
  });
});
