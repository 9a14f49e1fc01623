import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTokenServer, type TokenServer } from '../../src/server/index.js';
import { basicRaw, bearer, call, postForm } from './helpers.js';

const CC = { grant_type: 'client_credentials' };

describe('token server', () => {
  let server: TokenServer;
  let tokenUrl: string;
  const auth = (id: string, secret: string) => ({ authorization: basicRaw(id, secret) });

  beforeAll(async () => {
    server = await startTokenServer();
    tokenUrl = `${server.url}/oauth/token`;
    server.register({ clientId: 'counted', clientSecret: 's', grants: ['client_credentials'] });
    server.register({ clientId: 'faulty', clientSecret: 's', grants: ['client_credentials'] });
    server.register({ clientId: 'other', clientSecret: 's', grants: ['client_credentials'] });
  });
  afterAll(() => server.close());

  it('listens on 127.0.0.1 with a URL without trailing slash', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('counts every token call per client, successful or not, and in the totals', async () => {
    const totals = server.stats().tokenCalls;
    expect((await postForm(tokenUrl, CC, auth('counted', 's'))).status).toBe(200);
    expect((await postForm(tokenUrl, CC, auth('counted', 'wrong'))).status).toBe(401);
    expect((await postForm(tokenUrl, { ...CC, client_id: 'counted' })).status).toBe(401);
    expect(server.stats('counted')).toEqual({ tokenCalls: 3, apiCalls: 0, rejectedApiCalls: 0 });
    expect(server.stats().tokenCalls).toBe(totals + 3);
    expect(server.stats('never-seen')).toEqual({ tokenCalls: 0, apiCalls: 0, rejectedApiCalls: 0 });
  });

  it('answers with a client fault for the given number of calls, still counting them', async () => {
    server.injectFault(
      { status: 503, body: '<html>down</html>', contentType: 'text/html', times: 2 },
      'faulty',
    );
    const before = server.stats('faulty').tokenCalls;
    for (let i = 0; i < 2; i++) {
      const res = await postForm(tokenUrl, CC, auth('faulty', 's'));
      expect(res.status).toBe(503);
      expect(res.text).toBe('<html>down</html>');
      expect(res.headers.get('content-type')).toBe('text/html');
    }
    expect((await postForm(tokenUrl, CC, auth('other', 's'))).status).toBe(200);
    expect((await postForm(tokenUrl, CC, auth('faulty', 's'))).status).toBe(200);
    expect(server.stats('faulty').tokenCalls).toBe(before + 3);
  });

  it('keeps a fault for any client until cleared, a client fault taking precedence', async () => {
    server.injectFault({ status: 500, body: '{"error":"boom"}' });
    server.injectFault({ status: 429, body: '{"error":"slow down"}', times: 1 }, 'other');
    const first = await postForm(tokenUrl, CC, auth('other', 's'));
    expect(first.status).toBe(429);
    for (const client of ['other', 'counted', 'other']) {
      const res = await postForm(tokenUrl, CC, auth(client, 's'));
      expect(res.status).toBe(500);
      expect(res.json).toEqual({ error: 'boom' });
      expect(res.headers.get('content-type')).toBe('application/json');
    }
    server.injectFault(null);
    expect((await postForm(tokenUrl, CC, auth('other', 's'))).status).toBe(200);
  });

  it('clears one client fault with null', async () => {
    server.injectFault({ status: 500, body: '{}' }, 'faulty');
    server.injectFault(null, 'faulty');
    expect((await postForm(tokenUrl, CC, auth('faulty', 's'))).status).toBe(200);
  });

  it('delays a fault answer', async () => {
    server.injectFault({ status: 504, body: '{}', delayMs: 300, times: 1 });
    const started = Date.now();
    const res = await postForm(tokenUrl, CC, auth('counted', 's'));
    expect(res.status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it.each([[{ status: 42, body: '' }], [{ status: 500, body: '', times: 0 }]])(
    'refuses an invalid fault %j',
    (fault) => {
      expect(() => server.injectFault(fault)).toThrow(RangeError);
    },
  );

  it('does not let protected-resource calls touch token faults', async () => {
    server.injectFault({ status: 500, body: '{}' });
    const res = await call(`${server.url}/api`);
    expect(res.status).toBe(401);
    server.injectFault(null);
  });

  it('merges a repeated registration; another secret is one more the client authenticates with', async () => {
    server.register({ clientId: 'merged', clientSecret: 'm', grants: ['client_credentials'] });
    server.register({
      clientId: 'merged',
      clientSecret: 'm',
      grants: ['password'],
      users: [{ username: 'u', password: 'p' }],
    });
    expect((await postForm(tokenUrl, CC, auth('merged', 'm'))).status).toBe(200);
    const password = await postForm(
      tokenUrl,
      { grant_type: 'password', username: 'u', password: 'p' },
      auth('merged', 'm'),
    );
    expect(password.status).toBe(200);
    // runs that share a fixed client id (Newman's and Bruno's of one spec, two specs made
    // from one curl) each register a fresh secret; refusing the second crashed verify --client all.
    server.register({ clientId: 'merged', clientSecret: 'x', grants: ['client_credentials'] });
    expect((await postForm(tokenUrl, CC, auth('merged', 'x'))).status).toBe(200);
    expect((await postForm(tokenUrl, CC, auth('merged', 'm'))).status).toBe(200);
    expect((await postForm(tokenUrl, CC, auth('merged', 'wrong'))).status).toBe(401);
  });

  it('rejects bodies over 1 MiB with 413', async () => {
    const res = await call(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&pad=${'x'.repeat(1024 * 1024)}`,
    });
    expect(res.status).toBe(413);
    const api = await call(`${server.url}/api`, { method: 'PUT', body: 'x'.repeat(1024 * 1024 + 1) });
    expect(api.status).toBe(413);
  });

  it('answers malformed bodies with an error instead of failing', async () => {
    const res = await call(`${server.url}/realms/r/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data' },
      body: 'no boundary',
    });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_request');
  });

  it('survives odd request targets and keeps serving', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
      let data = '';
      socket.on('data', (chunk) => {
        data += chunk.toString();
      });
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
      socket.end('OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    });
    expect(raw).toMatch(/^HTTP\/1\.1 401/);
    const res = await call(`${server.url}//double//slash`, { headers: bearer('x') });
    expect(res.status).toBe(401);
    expect((await postForm(tokenUrl, CC, auth('counted', 's'))).status).toBe(200);
  });

  it('closes even while a delayed fault is pending', async () => {
    const local = await startTokenServer();
    local.register({ clientId: 'c', clientSecret: 's', grants: ['client_credentials'] });
    local.injectFault({ status: 500, body: '{}', delayMs: 60_000 });
    const pending = postForm(`${local.url}/oauth/token`, CC, auth('c', 's')).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await local.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await pending).toBeInstanceOf(Error);
    await expect(fetch(`${local.url}/api`)).rejects.toThrow();
  });
});
