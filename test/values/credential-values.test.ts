// How a credentials file's fields are found by a spec's paths, and which of them count as secrets.
import { describe, expect, test } from 'vitest';
import { parseSpec } from '../../src/spec/load-spec.js';
import type { Spec, VariantDef } from '../../src/spec/types.js';
import {
  credentialValues,
  fileSecrets,
  lookupCredential,
  topLevelNames,
} from '../../src/values/credential-values.js';
import type { CredentialsFile } from '../../src/values/read-credentials-file.js';

const key = {
  clientid: 'sb-x!b1',
  uaa: { clientid: 'sb-uaa!b2', url: 'https://acme.authentication.eu10.hana.ondemand.com' },
  serviceurls: { AI_API_URL: 'https://api.ai.example' },
  keys: [{ id: 'k-1' }, { id: 'k-2' }],
  port: 8443,
  unset: null,
};

describe('lookupCredential', () => {
  test.each([
    ['clientid', 'sb-x!b1'],
    ['uaa.clientid', 'sb-uaa!b2'],
    ['serviceurls.AI_API_URL', 'https://api.ai.example'],
    ['keys[1].id', 'k-2'],
    ['port', 8443],
  ])('%s', (path, value) => {
    expect(lookupCredential(key, path)).toEqual({ found: true, value });
  });

  test('absent: a missing field, an index past the end, a field of text, and null', () => {
    for (const path of ['clientsecret', 'keys[2].id', 'clientid.x', 'unset', 'uaa.clientid.x'])
      expect(lookupCredential(key, path), path).toEqual({ found: false });
  });

  test("a key wrapped as cf v8 and btp print it is read with the bare key's paths; the top wins", () => {
    const wrapped = { name: 'aicore-key', clientid: 'top', credentials: key };
    expect(lookupCredential(wrapped, 'uaa.url')).toEqual({ found: true, value: key.uaa.url });
    expect(lookupCredential(wrapped, 'clientid')).toEqual({ found: true, value: 'top' });
    expect(lookupCredential(wrapped, 'credentials.clientid')).toEqual({ found: true, value: 'sb-x!b1' });
  });
});

test('topLevelNames lists names only, a wrapper’s too', () => {
  expect(topLevelNames({ credentials: { clientid: 'x', clientsecret: 'y' }, name: 'k' })).toBe(
    'credentials, name, credentials.clientid, credentials.clientsecret',
  );
});

test('fileSecrets: every text under a secret-like name or a certificate, at any depth', () => {
  const secrets = fileSecrets({
    clientid: 'id',
    clientsecret: 's-1',
    url: 'https://x',
    uaa: { clientsecret: 's-2', certificate: 'CERT', key: 'KEY' },
    private_key: 'PK',
    private_key_id: 'PKID',
    client_email: 'a@b',
    'credential-type': 'x509',
  });
  expect(secrets.sort()).toEqual(['CERT', 'KEY', 'PK', 'PKID', 's-1', 's-2']);
});

describe('credentialValues', () => {
  const spec = parseSpec(
    `name: Acme
variables:
  AuthUrl:
    credentials: [uaa.url, url]
  ClientId:
    credentials: clientid
  ClientSecret:
    secret: true
    credentials: clientsecret
  Scope:
    default: read
    credentials: scope
  Unused:
    credentials: nowhere
token:
  url: "{{AuthUrl}}/oauth/token"
  grant: client_credentials
  clientId: "{{ClientId}}"
  clientSecret: "{{ClientSecret}}"
  scope: "{{Scope}}"
`,
    'specs/acme.yaml',
  ).spec as Spec;
  const variant = spec.variants[0] as VariantDef;
  const file = (root: Record<string, unknown>): CredentialsFile => ({ file: 'key.json', root });

  test('first present path wins; a default or an unused variable may be missing; secrets collected', () => {
    const fill = credentialValues(
      spec,
      variant,
      file({ url: 'https://b', uaa: { url: 'https://a' }, clientid: 7, clientsecret: 'top-secret' }),
      new Set(),
    );
    expect(fill).toEqual({
      values: { AuthUrl: 'https://a', ClientId: '7', ClientSecret: 'top-secret' },
      secrets: ['top-secret'],
    });
  });

  test('a needed variable missing is fine when another source gives it, a problem otherwise', () => {
    const root = { url: 'https://a', clientid: 'c' };
    expect('problem' in credentialValues(spec, variant, file(root), new Set(['ClientSecret']))).toBe(false);
    const failed = credentialValues(spec, variant, file(root), new Set());
    expect('problem' in failed && failed.problem.message).toBe(
      'this file has no clientsecret for ClientSecret of specs/acme.yaml (acme needs it); its top-level fields are url, clientid',
    );
  });
});
