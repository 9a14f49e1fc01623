// A token endpoint that answers 307 or 308 to another host would have the token request, client
// secret in its body, re-sent there. Real Newman runs against servers on 127.0.0.1: one that
// redirects, the other (reached as another port, or as `localhost`) records whatever arrives.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { specArtifacts } from '../../src/pipeline/spec-artifacts.js';
import type { EnvironmentJson } from '../../src/targets/postman/generate-environment.js';
import { withValues } from '../../src/values/environment-fill.js';
import { runNewman } from '../../src/verify/run-newman.js';
import { type EchoServer, startEchoServer } from '../support/echo-server.js';
import { loadValidSpec } from '../support/specs.js';

const SECRET = 'redirect-secret-0e9b4d';
const spec = await loadValidSpec(new URL('../../specs/sap-ai-core.yaml', import.meta.url).pathname);
// sap-ai-core sends client_id and client_secret in a form body, which a 307 re-sends whole.
if (spec.variants[0]?.token.clientAuth !== 'body') throw new Error('sap-ai-core: expected body client auth');

let other: EchoServer;
let redirecting: Server;
let redirectingUrl = '';
let location = '';

beforeAll(async () => {
  other = await startEchoServer(() => '{"access_token":"t","token_type":"bearer","expires_in":3600}');
  redirecting = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(307, { location }).end());
  });
  await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
  redirectingUrl = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await other.close();
  redirecting.closeAllConnections();
  await new Promise<void>((resolve) => redirecting.close(() => resolve()));
});
beforeEach(() => {
  other.received.length = 0;
});

const port = () => new URL(other.url).port;
const TARGETS: Array<[string, () => string]> = [
  ['another port', () => `http://127.0.0.1:${port()}/oauth/token`],
  ['another host name', () => `http://localhost:${port()}/oauth/token`],
];

async function run(items: 'token' | 'api', ignoreRedirects: boolean) {
  const [collectionFile, environmentFile] = specArtifacts(spec);
  const collection = JSON.parse(collectionFile?.content ?? '{}') as { item: unknown[] };
  const environment = JSON.parse(environmentFile?.content ?? '{}') as EnvironmentJson;
  const item = items === 'token' ? collection.item.slice(0, 1) : collection.item.slice(1);
  const result = await runNewman({
    collection: { ...collection, item } as never,
    environment: withValues(environment, {
      AuthUrl: redirectingUrl,
      AiApiUrl: other.url,
      DeploymentId: 'd1',
      ClientId: 'redirect-client',
      ClientSecret: SECRET,
    }) as never,
    reporters: [],
    ignoreRedirects,
    timeoutRequest: 5_000,
  });
  return { ...result, failureText: result.failures.map((f) => `${f.test}: ${f.message}`).join('\n') };
}

describe.each(TARGETS)('a 307 to %s', (_, target) => {
  beforeEach(() => {
    location = target();
  });

  test('the visible "Get token" request does not follow it, and says where it points', async () => {
    const result = await run('token', false);
    expect(other.received).toEqual([]);
    expect(result.failureText).toContain(
      `token endpoint answers 2xx: the token endpoint redirects (HTTP 307) to ${location}; a token request is not sent on`,
    );
  });

  test("with Newman's --ignore-redirects the script refuses it, and no request goes out", async () => {
    const result = await run('api', true);
    expect(other.received).toEqual([]);
    expect(result.failureText).toContain(`the token endpoint redirects (HTTP 307) to ${location}`);
    expect(result.environment.Token ?? '').toBe('');
  });
});
