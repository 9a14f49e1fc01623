import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/spec/load-spec.js';
import type { Spec, TokenRequestDef } from '../../src/spec/types.js';
import { atLeastOne } from '../support/required.js';

// Vendor-shaped specs for signed assertions, mutual TLS, token exchange and api_key: each loads with
// no problem at all, and its defaults are the ones docs/specs.md promises.
const dir = fileURLToPath(new URL('../fixtures/valid/credentials/', import.meta.url));
const files = atLeastOne(
  (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort(),
  'specs in test/fixtures/valid/credentials',
);

async function load(name: string): Promise<Spec> {
  const result = await loadSpec(`${dir}${name}`);
  expect(result.problems).toEqual([]);
  if (!result.spec) throw new Error(`${name} did not load`);
  return result.spec;
}

function tokenOf(spec: Spec, variant = ''): TokenRequestDef {
  const found = spec.variants.find((v) => v.key === variant);
  if (!found) throw new Error(`no variant ${variant}`);
  return found.token;
}

describe('credential specs', () => {
  it.each(files)('%s loads without problems', async (name) => {
    await load(name);
  });

  it('private_key_jwt: iss and sub default to the client id, aud to the token URL, a certificate to x5t#S256', async () => {
    const token = tokenOf(await load('entra-certificate.yaml'));
    expect(token.clientAuth).toBe('private_key_jwt');
    expect(token.assertion).toEqual({
      source: 'sign',
      alg: 'PS256',
      key: '{{PrivateKey}}',
      kid: '',
      certificate: '{{Certificate}}',
      thumbprint: 'x5t#S256',
      issuer: '{{ClientId}}',
      subject: '{{ClientId}}',
      audience: 'https://login.microsoftonline.com/{{TenantId}}/oauth2/v2.0/token',
      scope: '',
      lifetime: 300,
    });
  });

  it('client_secret_jwt needs no assertion block: HS256 with the client secret', async () => {
    const spec = await load('keycloak-signed-jwt.yaml');
    expect(tokenOf(spec, 'client-secret-jwt').assertion).toMatchObject({
      source: 'sign',
      alg: 'HS256',
      key: '{{ClientSecret}}',
      thumbprint: '',
      issuer: '{{ClientId}}',
      subject: '{{ClientId}}',
      audience: '{{KeycloakUrl}}/realms/{{Realm}}/protocol/openid-connect/token',
    });
    expect(tokenOf(spec, 'private-key-jwt').assertion).toMatchObject({ alg: 'RS256', key: '{{PrivateKey}}' });
  });

  it('jwt-bearer: no sub unless given, the scope claim as written', async () => {
    const google = tokenOf(await load('google-service-account.yaml'));
    expect(google.grant).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(google.assertion).toMatchObject({
      issuer: '{{ServiceAccountEmail}}',
      subject: '',
      audience: 'https://oauth2.googleapis.com/token',
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      kid: '{{PrivateKeyId}}',
      lifetime: 3600,
    });
    const salesforce = tokenOf(await load('salesforce-jwt-bearer.yaml'));
    expect(salesforce.assertion).toMatchObject({
      alg: 'RS256',
      subject: '{{Username}}',
      audience: '{{LoginUrl}}',
    });
  });

  it('token exchange and api_key keep their fields; tls carries no assertion', async () => {
    const exchange = tokenOf(await load('token-exchange.yaml'));
    expect([exchange.subjectToken, exchange.subjectTokenType]).toEqual([
      '{{UpstreamToken}}',
      'urn:ietf:params:oauth:token-type:jwt',
    ]);
    expect(tokenOf(await load('api-connect-api-key.yaml')).apiKey).toBe('{{ApiKey}}');
    const tls = tokenOf(await load('sap-x509.yaml'));
    expect([tls.clientAuth, tls.assertion, tls.clientSecret]).toEqual(['tls', null, '']);
  });
});
