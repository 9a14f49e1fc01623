import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { ROOT } from '../support/run-cli.js';

test('serve prints its URL and test credentials, which get a token from it (over mutual TLS for x509), and stops on SIGTERM', async () => {
  const bin = fileURLToPath(new URL('../../bin/tokenman.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'serve', 'specs/sap-ai-core.yaml'], { cwd: ROOT });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no credentials: ${out}`)), 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (/client certificate for .*\n/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const value = (name: string) => new RegExp(`^  ${name} = (.*)$`, 'm').exec(out)?.[1] ?? '';
  expect(out).toMatch(/^tokenman token server on http:\/\/127\.0\.0\.1:\d+ /m);
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: value('ClientId'),
    client_secret: value('ClientSecret'),
  });
  const response = await fetch(`${value('AuthUrl')}/oauth/token`, { method: 'POST', body });
  expect(response.status).toBe(200);
  expect(((await response.json()) as { access_token: string }).access_token).toMatch(/^eyJ/);

  // The x509 variant: its client certificate, key and the server's CA are files a user points
  // Postman at; with them the mTLS listener gives the client its token.
  const files = /client certificate for (\S+) .*CRT file (\S+), KEY file (\S+); .*: (\S+)$/m.exec(out);
  const [, host, cert, key, ca] = files ?? [];
  if (!host || !cert || !key || !ca) throw new Error(`no certificate files in: ${out}`);
  expect(statSync(key).mode & 0o777).toBe(0o600);
  expect(out).not.toContain('BEGIN PRIVATE KEY');
  const x509 = out.slice(out.indexOf('(X.509 certificate)'));
  const clientId = /^ {2}ClientId = (.*)$/m.exec(x509)?.[1] ?? '';
  const status = await new Promise<number>((resolve, reject) => {
    const request = https.request(
      `${/^ {2}CertUrl = (.*)$/m.exec(x509)?.[1]}/oauth/token`,
      {
        method: 'POST',
        cert: readFileSync(cert),
        key: readFileSync(key),
        ca: readFileSync(ca),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end(new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId }).toString());
  });
  expect(status).toBe(200);
  expect(host).toMatch(/^127\.0\.0\.1:\d+$/);

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  // Stopped, it leaves no key behind.
  expect(existsSync(key)).toBe(false);
});
