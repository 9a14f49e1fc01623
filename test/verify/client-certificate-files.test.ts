import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { expect, test } from 'vitest';
import {
  bruTlsArgs,
  newmanTlsOptions,
  removeClientTlsFiles,
  writeClientTlsFiles,
} from '../../src/verify/client-certificate-files.js';

test('the certificate, key and CA go into a private folder, with absolute paths both runners match to the token host', async () => {
  const files = await writeClientTlsFiles({ cert: 'CERT', key: 'KEY', ca: 'CA', host: '127.0.0.1:4711' });
  try {
    expect(statSync(files.dir).mode & 0o777).toBe(0o700);
    for (const file of [files.cert, files.key, files.ca ?? '', files.bruConfig]) {
      expect(isAbsolute(file)).toBe(true);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    expect(readFileSync(files.key, 'utf8')).toBe('KEY');
    // A pattern without a port matches only 443 in Newman, so the port is a wildcard.
    expect(newmanTlsOptions(files)).toEqual({
      sslClientCertList: [
        {
          name: 'tokenman verify client certificate',
          matches: ['https://127.0.0.1:*/*', 'https://127.0.0.1/*'],
          key: { src: files.key },
          cert: { src: files.cert },
        },
      ],
      sslExtraCaCerts: files.ca,
    });
    expect(bruTlsArgs(files)).toEqual(['--client-cert-config', files.bruConfig, '--cacert', files.ca]);
    expect(JSON.parse(readFileSync(files.bruConfig, 'utf8'))).toEqual({
      enabled: true,
      certs: [
        {
          domain: '127.0.0.1:4711',
          type: 'cert',
          certFilePath: files.cert,
          keyFilePath: files.key,
          passphrase: '',
        },
      ],
    });
  } finally {
    await removeClientTlsFiles(files);
  }
  expect(existsSync(files.dir)).toBe(false);
});
