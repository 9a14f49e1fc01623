// tokenman serve holds each spec's API calls to its document, as verify --local does: a person
// pointing Postman at it sees the refusals a vendor following its document would give.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { ROOT } from '../support/run-cli.js';

test('serve answers a spec’s API in contract mode: the documented example, a refusal in the document’s words', async () => {
  const bin = fileURLToPath(new URL('../../bin/tokenman.js', import.meta.url));
  const spec = fileURLToPath(new URL('../fixtures/contract/inventory.yaml', import.meta.url));
  const child = spawn(process.execPath, [bin, 'serve', spec], { cwd: ROOT });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve printed no credentials: ${out}`)), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/ItemId = .*\n/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const value = (name: string) => new RegExp(`^  ${name} = (.*)$`, 'm').exec(out)?.[1] ?? '';
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: value('ClientId'),
      client_secret: value('ClientSecret'),
    });
    const token = await fetch(`${value('AuthUrl')}/oauth/token`, { method: 'POST', body });
    const { access_token } = (await token.json()) as { access_token: string };
    const headers = { authorization: `Bearer ${access_token}` };
    const api = value('ApiHost');
    const list = await fetch(`${api}/v1/items?max=2`, { headers });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual([{ id: 7, name: 'hammer', note: null }]);
    const refused = await fetch(`${api}/v1/items?max=ten`, { headers });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error_description: string }).error_description).toBe(
      'GET /items: query parameter "max" must be integer',
    );
    expect((await fetch(`${api}/v1/health`)).status).toBe(200);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
});
