// How a credentials file's fields are found by a spec's paths, and which of them count as secrets.
import { describe, expect, test } from 'vitest';
import { fileSecrets, lookupCredential, topLevelNames } from '../../src/verify/credential-values.js';

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
