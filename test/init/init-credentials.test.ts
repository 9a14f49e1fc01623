import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { type InitOptions, initSpec } from '../../src/init/init-spec.js';
import { parsePastedCommand } from '../../src/init/parse-pasted.js';
import { readJwtHeader } from '../../src/init/read-jwt-header.js';

// The credentials vendors issue beside client secrets, as their documentation pastes them: a client
// certificate (SAP x509 service keys), a signed client assertion (Entra ID, Okta, Keycloak) and the
// jwt-bearer grant (Google, Salesforce).

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const PAYLOAD_ISSUER = 'payload-issuer-7f3a@example.test';

/** A JWT as really signed, so the test pastes what a user would. */
function signedJwt(header: Record<string, unknown>): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const input = `${b64url({ typ: 'JWT', ...header })}.${b64url({ iss: PAYLOAD_ISSUER, sub: 'payload-subject-9c1d', exp: 4102444800 })}`;
  const signature = sign('sha256', Buffer.from(input), privateKey).toString('base64url');
  return `${input}.${signature}`;
}

function made(fromCommand: string, options: Partial<InitOptions> = {}) {
  const result = initSpec({ name: 'Acme', file: 'specs/acme.yaml', fromCommand, ...options });
  expect(result.problems).toEqual([]);
  expect(result.spec).toBeDefined();
  return { ...result, yaml: result.yaml ?? '', doc: parse(result.yaml ?? '') };
}

/** Nothing of the pasted JWT but its header's alg and kid: not itself, its payload or its signature. */
function expectNoJwt(jwt: string, ...outputs: string[]) {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  for (const output of outputs) {
    for (const part of [jwt, header, payload, signature, PAYLOAD_ISSUER, 'payload-subject-9c1d']) {
      expect(output).not.toContain(part);
    }
  }
}

describe('curl --cert and --key', () => {
  test('are read, but neither the files nor a certificate password reach the notes', () => {
    const parsed = parsePastedCommand(
      'curl -E client.pem:CertPass8 --key key.pem --cert-type PEM --cacert ca.pem -d grant_type=client_credentials https://h.test/t',
    );
    if (!parsed.ok) throw new Error(parsed.problem.message);
    expect(parsed.value.clientCertificate).toBe(true);
    expect(parsed.value.notes).toEqual([
      "-E, --key, --cert-type, --cacert not written: certificate and key files are each user's own; configure them in Postman (Settings → Certificates, for the token host) and in newman run (--ssl-client-cert-list)",
    ]);
    expect(parsed.value.notes.join('\n')).not.toMatch(/CertPass8|client\.pem|key\.pem|ca\.pem/);
  });

  test('--cacert alone is no client certificate', () => {
    const parsed = parsePastedCommand('curl --cacert ca.pem -u app:x https://h.test/t');
    if (!parsed.ok) throw new Error(parsed.problem.message);
    expect(parsed.value.clientCertificate).toBeUndefined();
    expect(parsed.value.notes[0]).toMatch(/^--cacert not written: a private CA is trusted in Postman/);
  });

  test('an SAP x509 service key request becomes clientAuth tls, client id in the body, no secret and no path', () => {
    const { doc, yaml, notes } = made(
      'curl --cert cert.pem --key key.pem -d grant_type=client_credentials -d client_id=sb-ai!b1 https://acme.authentication.cert.eu10.hana.ondemand.com/oauth/token',
    );
    expect(doc.token).toEqual({
      url: '{{AuthUrl}}/oauth/token',
      grant: 'client_credentials',
      clientAuth: 'tls',
      clientId: '{{ClientId}}',
      clientCertificate: { certificate: '{{Certificate}}', key: '{{PrivateKey}}' },
    });
    expect(Object.keys(doc.variables)).toEqual(['AuthUrl', 'ClientId', 'Certificate', 'PrivateKey']);
    expect(doc.variables.PrivateKey?.secret).toBe(true);
    expect(notes.join('\n')).toContain('Settings → Certificates');
    expect(notes.join('\n')).toContain('--ssl-client-cert-list');
    for (const output of [yaml, ...notes]) expect(output).not.toMatch(/cert\.pem|key\.pem/);
  });

  test('a client certificate beside -u keeps Basic client authentication', () => {
    const { doc } = made('curl --cert c.pem -u app:x -d grant_type=client_credentials https://h.test/t');
    expect(doc.token.clientAuth).toBe('basic');
  });
});

describe('client_assertion', () => {
  const TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

  test('a pasted signed JWT becomes private_key_jwt with its header alg, kid and thumbprint, and nothing else of it', () => {
    const jwt = signedJwt({ alg: 'PS256', kid: 'entra-key-1', 'x5t#S256': 'dGh1bWI' });
    const { doc, yaml, notes } = made(
      `curl -X POST https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token -d grant_type=client_credentials -d client_id=app-1 -d client_assertion_type=${TYPE} -d client_assertion=${jwt} --data-urlencode scope=https://graph.microsoft.com/.default`,
    );
    expect(doc.token).toMatchObject({
      grant: 'client_credentials',
      clientAuth: 'private_key_jwt',
      clientId: '{{ClientId}}',
      assertion: { alg: 'PS256', key: '{{PrivateKey}}', kid: '{{KeyId}}', certificate: '{{Certificate}}' },
    });
    expect(doc.token.clientSecret).toBeUndefined();
    expect(doc.token.params).toBeUndefined();
    expect(doc.variables.PrivateKey).toEqual({
      description: 'PEM private key that signs the assertion',
      secret: true,
    });
    expect(doc.variables.KeyId.default).toBe('entra-key-1');
    expectNoJwt(jwt, yaml, ...notes);
  });

  test('a placeholder for the assertion gets the default alg', () => {
    const { doc, notes } = made(
      `curl -d grant_type=client_credentials -d client_id=0oa1 -d client_assertion_type=${TYPE} -d 'client_assertion=<signed JWT>' https://acme.okta.com/oauth2/v1/token`,
    );
    expect(doc.token.clientAuth).toBe('private_key_jwt');
    expect(doc.token.assertion).toEqual({ key: '{{PrivateKey}}' });
    expect(Object.keys(doc.variables)).toEqual(['AuthUrl', 'ClientId', 'PrivateKey']);
    expect(notes.join('\n')).toContain('not a JWT, so RS256 is assumed');
  });

  test('an HS256 client assertion is client_secret_jwt, signed with a secret ClientSecret', () => {
    const jwt = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ iss: PAYLOAD_ISSUER })}.c2lnbmF0dXJl`;
    const { doc, yaml, notes } = made(
      `curl -d grant_type=client_credentials -d client_id=app -d client_assertion_type=${TYPE} -d client_assertion=${jwt} https://kc.test/realms/r/protocol/openid-connect/token`,
    );
    expect(doc.token).toMatchObject({ clientAuth: 'client_secret_jwt', clientSecret: '{{ClientSecret}}' });
    expect(doc.variables.ClientSecret.secret).toBe(true);
    expectNoJwt(jwt, yaml, ...notes);
  });

  test('without client_assertion_type it stays a secret parameter', () => {
    const { doc } = made(
      'curl -u app:x -d grant_type=client_credentials -d client_assertion=A https://h.test/t',
    );
    expect(doc.token).toMatchObject({
      clientAuth: 'basic',
      params: { client_assertion: '{{ClientAssertion}}' },
    });
  });
});

describe('the jwt-bearer grant', () => {
  test('Google: the assertion is built from a PrivateKey secret with alg and kid from the pasted header', () => {
    const jwt = signedJwt({ alg: 'RS256', kid: '8f2e7c0d1b' });
    const { doc, yaml, notes } = made(
      `curl -d grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer -d assertion=${jwt} https://oauth2.googleapis.com/token`,
    );
    expect(doc.token).toEqual({
      url: '{{AuthUrl}}/token',
      grant: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      clientAuth: 'none',
      assertion: { alg: 'RS256', key: '{{PrivateKey}}', kid: '{{KeyId}}', issuer: '{{Issuer}}' },
    });
    expect(doc.variables.PrivateKey.secret).toBe(true);
    expect(doc.variables.Issuer.default).toBeUndefined();
    expectNoJwt(jwt, yaml, ...notes);
  });

  test('Salesforce with a placeholder assertion and a client id: the issuer defaults to it', () => {
    const { doc } = made(
      "curl https://login.salesforce.com/services/oauth2/token -d 'grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer' -d 'assertion=$JWT' -d client_id=3MVG9",
    );
    expect(doc.token).toMatchObject({
      grant: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      clientAuth: 'none',
      clientId: '{{ClientId}}',
      assertion: { key: '{{PrivateKey}}' },
    });
    expect(doc.token.params).toBeUndefined();
    expect(doc.variables.Jwt).toBeUndefined();
  });
});

describe('reading a pasted JWT header', () => {
  test('alg, kid and thumbprint only; anything not a JWT is nothing', () => {
    expect(readJwtHeader(`${b64url({ alg: 'ES256', kid: 'k1', x5t: 'YQ' })}.e30.`)).toEqual({
      alg: 'ES256',
      kid: 'k1',
      thumbprint: 'x5t',
    });
    expect(readJwtHeader(`${b64url({ alg: 'none' })}.e30.`)).toEqual({});
    expect(readJwtHeader('<signed JWT>')).toBeUndefined();
    expect(readJwtHeader('bm90IGpzb24.e30.sig')).toBeUndefined();
  });
});
