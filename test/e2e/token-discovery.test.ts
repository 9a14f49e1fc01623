// OpenID Connect discovery in real Newman runs on 127.0.0.1: the collection's script reads the
// token URL from the issuer's discovery document once, then asks the embedded token server for one
// token, for any number of requests; every fault of the document (404, HTML, no token_endpoint, a
// host that does not answer, a redirect) fails the run with the words the user sees, and no token
// request or API call goes out. The issuer here is a stand-in whose document a test writes; its
// token_endpoint is the embedded server's (or a recording server's, to read the assertion's aud).
import type { IncomingMessage } from 'node:http';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import type { VariantDef } from '../../src/spec/types.js';
import { type EchoServer, startEchoServer } from '../support/echo-server.js';
import { runCollection } from '../support/run-collection.js';
import { loadValidSpec } from '../support/specs.js';
import { startVendorServer, type VendorAnswer, type VendorServer } from '../support/vendor-server.js';

const spec = await loadValidSpec(
  new URL('../fixtures/valid/discovery/keycloak-discovery.yaml', import.meta.url).pathname,
);
const variant = (key: string) => spec.variants.find((v) => v.key === key) as VariantDef;
const DOCUMENT_PATH = '/realms/master/.well-known/openid-configuration';
const TOKEN_PATH = '/realms/master/protocol/openid-connect/token';

let server: TokenServer;
let issuer: VendorServer;
let recorder: EchoServer;
/** What the issuer answers for its discovery document in the current test. */
let documentAnswer: () => VendorAnswer;

const documentUrl = () => `${issuer.url}${DOCUMENT_PATH}`;
const goodDocument = (tokenEndpoint = `${server.url}${TOKEN_PATH}`): VendorAnswer => ({
  body: JSON.stringify({
    issuer: `${issuer.url}/realms/master`,
    authorization_endpoint: `${issuer.url}/realms/master/protocol/openid-connect/auth`,
    token_endpoint: tokenEndpoint,
  }),
});
/** The issuer: its discovery document as the test says, and a userinfo that wants a bearer token. */
function issuerAnswer(request: IncomingMessage): VendorAnswer {
  if (request.url === DOCUMENT_PATH) return documentAnswer();
  const bearer = /^Bearer \S+$/.test(request.headers.authorization ?? '');
  return bearer ? { body: '{"sub":"tm"}' } : { status: 401, body: '{"error":"invalid_token"}' };
}
const documentReads = () => issuer.paths.filter((path) => path === DOCUMENT_PATH).length;
const apiCalls = () => issuer.paths.filter((path) => path.endsWith('/userinfo')).length;

beforeAll(async () => {
  server = await startTokenServer();
  recorder = await startEchoServer(() =>
    JSON.stringify({ access_token: 'recorded-token', token_type: 'Bearer', expires_in: 300 }),
  );
  issuer = await startVendorServer(issuerAnswer);
});
afterAll(async () => {
  await issuer.close();
  await recorder.close();
  await server.close();
});
beforeEach(() => {
  issuer.paths.length = 0;
  recorder.received.length = 0;
  documentAnswer = () => goodDocument();
});

describe('a good discovery document', () => {
  test('is read once, and one token serves every request', async () => {
    const run = await runCollection(spec, variant('client-secret'), server, {
      items: 'api',
      extra: 3,
      values: { KeycloakUrl: issuer.url },
    });
    expect(run.failureText).toBe('');
    expect(documentReads()).toBe(1);
    expect(run.stats.tokenCalls).toBe(1);
    expect(apiCalls()).toBe(4);
    expect(run.environment.TokenEndpoint).toBe(`${server.url}${TOKEN_PATH}`);
    expect(run.environment.TokenDiscovery).toBe(documentUrl());
  });

  test('the visible "Get token" request is sent to the endpoint read, and its token reused', async () => {
    const run = await runCollection(spec, variant('client-secret'), server, {
      items: 'all',
      values: { KeycloakUrl: issuer.url },
    });
    expect(run.failureText).toBe('');
    expect(documentReads()).toBe(1);
    expect(run.stats.tokenCalls).toBe(1);
    expect(apiCalls()).toBe(1);
  });

  test('an endpoint already read from the same document is not read again', async () => {
    const run = await runCollection(spec, variant('client-secret'), server, {
      items: 'api',
      values: {
        KeycloakUrl: issuer.url,
        TokenEndpoint: `${server.url}${TOKEN_PATH}`,
        TokenDiscovery: documentUrl(),
      },
    });
    expect(run.failureText).toBe('');
    expect(documentReads()).toBe(0);
    expect(run.stats.tokenCalls).toBe(1);
  });

  test('an endpoint read from another document (a changed discovery URL) is read again', async () => {
    const run = await runCollection(spec, variant('client-secret'), server, {
      items: 'api',
      values: {
        KeycloakUrl: issuer.url,
        TokenEndpoint: 'http://127.0.0.1:9/stale/token',
        TokenDiscovery: 'http://127.0.0.1:9/realms/old/.well-known/openid-configuration',
      },
    });
    expect(run.failureText).toBe('');
    expect(documentReads()).toBe(1);
    expect(run.stats.tokenCalls).toBe(1);
    expect(run.environment.TokenEndpoint).toBe(`${server.url}${TOKEN_PATH}`);
  });

  test('a private_key_jwt assertion is meant for the endpoint read (its aud)', async () => {
    const endpoint = `${recorder.url}${TOKEN_PATH}`;
    documentAnswer = () => goodDocument(endpoint);
    const run = await runCollection(spec, variant('private-key-jwt'), server, {
      items: 'api',
      values: { KeycloakUrl: issuer.url },
    });
    expect(run.failureText).toBe('');
    expect(recorder.received).toHaveLength(1);
    const form = new URLSearchParams(recorder.received[0]?.body.toString('utf8'));
    expect(decodeJwt(form.get('client_assertion') ?? '').aud).toBe(endpoint);
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
      () => ({
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: '<!DOCTYPE html>\n<html><head><title>Sign in</title></head></html>',
      }),
      (url) =>
        `the discovery document at ${url} is not a JSON object (text/html: <!DOCTYPE html> <html><head><title>Sign in</title></head></html>)`,
    ],
    [
      'no token_endpoint',
      () => ({
        body: JSON.stringify({ issuer: `${issuer.url}/realms/master`, jwks_uri: `${issuer.url}/certs` }),
      }),
      (url) => `the discovery document at ${url} has no token_endpoint (fields: issuer, jwks_uri)`,
    ],
  ];
  test.each(cases)('%s', async (_, answer, words) => {
    documentAnswer = answer;
    const run = await runCollection(spec, variant('client-secret'), server, {
      items: 'api',
      values: { KeycloakUrl: issuer.url },
    });
    expect(run.failureText).toContain(words(documentUrl()));
    expect(run.stats.tokenCalls).toBe(0);
    expect(apiCalls()).toBe(0);
  });

  // an https document naming an http endpoint got the client secret sent in clear.
  test('an http token_endpoint (a downgrade): refused before anything is sent to it', async () => {
    const endpoint = `http://tokenman-downgrade.invalid${TOKEN_PATH}`;
    documentAnswer = () => goodDocument(endpoint);
    const run = await runCollection(spec, variant('client-secret'), server, {
      items: 'api',
      values: { KeycloakUrl: issuer.url },
    });
    expect(run.failureText).toContain(
      `the discovery document at ${documentUrl()} names token_endpoint ${endpoint}, which is not https: the credentials would be sent in clear, so nothing was sent`,
    );
    expect(run.failureText).not.toMatch(/ENOTFOUND|getaddrinfo/);
    expect(apiCalls()).toBe(0);
  });

  // Newman hands an answer to the script's sandbox at a second and 100 MB a megabyte; a
  // 20 MB document took 30 s and 2 GB, then the script ran out of time with no report.
  test('a 20 MB document is cut at 4 MB and named, within seconds', async () => {
    const padding = Object.fromEntries(Array.from({ length: 400_000 }, (_, i) => [`k${i}`, 'x'.repeat(40)]));
    const body = JSON.stringify({ ...JSON.parse(goodDocument().body), ...padding });
    documentAnswer = () => ({ body });
    const started = performance.now();
    const run = await runCollection(spec, variant('client-secret'), server, {
      items: 'api',
      values: { KeycloakUrl: issuer.url },
    });
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(run.failureText).toContain(
      `could not reach the discovery document at ${documentUrl()}: the answer is larger than 4 MB, more than tokenman verify reads of one answer`,
    );
    expect(run.stats.tokenCalls).toBe(0);
  });

  test('a host that does not answer', async () => {
    const closed = await startTokenServer();
    const url = closed.url;
    await closed.close();
    const run = await runCollection(spec, variant('client-secret'), server, {
      items: 'api',
      values: { KeycloakUrl: url },
    });
    expect(run.failureText).toContain(
      `could not reach the discovery document at ${url}${DOCUMENT_PATH}: ECONNREFUSED`,
    );
    expect(run.stats.tokenCalls).toBe(0);
  });

  test('a redirect, seen (as in tokenman verify), is named and not followed', async () => {
    const elsewhere = `${recorder.url.replace('127.0.0.1', 'localhost')}${DOCUMENT_PATH}`;
    documentAnswer = () => ({ status: 302, headers: { location: elsewhere }, body: '' });
    const run = await runCollection(spec, variant('client-secret'), server, {
      items: 'api',
      values: { KeycloakUrl: issuer.url },
      ignoreRedirects: true,
    });
    expect(run.failureText).toContain(
      `the discovery document at ${documentUrl()} redirects (HTTP 302) to ${elsewhere}; tokenman does not follow it`,
    );
    expect(recorder.received).toEqual([]);
    expect(run.stats.tokenCalls).toBe(0);
  });

  test('a redirect to another host that the client followed by itself is caught by the issuer', async () => {
    // The embedded server serves a Keycloak realm's document, naming itself as the issuer.
    const elsewhere = `${server.url}${DOCUMENT_PATH}`;
    documentAnswer = () => ({ status: 302, headers: { location: elsewhere }, body: '' });
    const run = await runCollection(spec, variant('client-secret'), server, {
      items: 'api',
      values: { KeycloakUrl: issuer.url },
    });
    expect(run.failureText).toContain(
      `the discovery document at ${documentUrl()} names the issuer ${server.url}/realms/master, on another host or port`,
    );
    expect(run.stats.tokenCalls).toBe(0);
    expect(apiCalls()).toBe(0);
  });
});
