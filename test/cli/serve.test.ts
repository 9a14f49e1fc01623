import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { ROOT } from '../support/run-cli.js';

test('serve prints its URL and test credentials, which get a token from it, and stops on SIGTERM', async () => {
  const bin = fileURLToPath(new URL('../../bin/tokenman.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'serve', 'specs/sap-ai-core.yaml'], { cwd: ROOT });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no credentials: ${out}`)), 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (/ResourceGroup = /.test(out)) {
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
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
});
