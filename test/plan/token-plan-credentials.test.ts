import { describe, expect, it } from 'vitest';
import { planTokenRequests } from '../../src/plan/token-plan.js';
import { variablesUsedBy } from '../../src/plan/variables-used.js';
import { loadSpec } from '../../src/spec/load-spec.js';
import { SIGNED_AT_SEND_TIME } from '../../src/spec/token-params.js';
import type { Spec } from '../../src/spec/types.js';
import { CLIENT_ASSERTION_TYPE } from '../../src/spec/types.js';

async function load(name: string): Promise<Spec> {
  const result = await loadSpec(new URL(`../fixtures/valid/credentials/${name}`, import.meta.url).pathname);
  if (!result.spec) throw new Error(JSON.stringify(result.problems));
  return result.spec;
}

async function plan(name: string, variant = 0) {
  const found = planTokenRequests(await load(name))[variant];
  if (!found) throw new Error('no plan');
  return found;
}

describe('token plan: credentials', () => {
  it('private_key_jwt sends client_id, client_assertion_type and the assertion the script signs', async () => {
    const p = await plan('entra-certificate.yaml');
    expect(p.clientAuth).toEqual({ kind: 'private_key_jwt' });
    expect(p.params).toEqual([
      ['grant_type', 'client_credentials'],
      ['client_id', '{{ClientId}}'],
      ['client_assertion_type', CLIENT_ASSERTION_TYPE],
      ['client_assertion', SIGNED_AT_SEND_TIME],
      ['scope', 'https://graph.microsoft.com/.default'],
    ]);
    expect(p.assertion).toMatchObject({ param: 'client_assertion', source: 'sign', alg: 'PS256' });
    expect(p.signer).toBe('rsa');
    // The key and the certificate must be filled before anything is sent; the key stays secret.
    expect(p.required).toEqual(expect.arrayContaining(['TenantId', 'ClientId', 'PrivateKey', 'Certificate']));
    expect(p.secrets).toEqual(['PrivateKey']);
  });

  it('each algorithm asks for its own signer bundle, and only that one', async () => {
    expect((await plan('okta-private-key-jwt.yaml')).signer).toBe('ec');
    const keycloak = planTokenRequests(await load('keycloak-signed-jwt.yaml'));
    expect(keycloak.map((p) => [p.variant, p.clientAuth.kind, p.signer])).toEqual([
      ['client-secret-jwt', 'client_secret_jwt', 'hmac'],
      ['private-key-jwt', 'private_key_jwt', 'rsa'],
    ]);
    // The HS256 variant signs with the client secret, which it therefore needs; the RS256 one does not.
    expect(keycloak[0]?.required).toContain('ClientSecret');
    expect(keycloak[1]?.required).not.toContain('ClientSecret');
    expect(keycloak[1]?.required).toContain('PrivateKey');
  });

  it('jwt-bearer sends the assertion as assertion and no client_id when the spec gives none', async () => {
    const p = await plan('google-service-account.yaml');
    expect(p.params).toEqual([
      ['grant_type', 'urn:ietf:params:oauth:grant-type:jwt-bearer'],
      ['assertion', SIGNED_AT_SEND_TIME],
    ]);
    expect(p.assertion).toMatchObject({ param: 'assertion', issuer: '{{ServiceAccountEmail}}' });
    expect(p.signer).toBe('rsa');
    expect(p.required).toEqual(['PrivateKey', 'PrivateKeyId', 'ServiceAccountEmail']);
  });

  it('token exchange, api_key and tls need no signer', async () => {
    const exchange = await plan('token-exchange.yaml');
    expect(exchange.params).toEqual([
      ['grant_type', 'urn:ietf:params:oauth:grant-type:token-exchange'],
      ['subject_token', '{{UpstreamToken}}'],
      ['subject_token_type', 'urn:ietf:params:oauth:token-type:jwt'],
      ['audience', 'https://api.example.com'],
    ]);
    expect(exchange.required).toContain('UpstreamToken');
    const apiKey = await plan('api-connect-api-key.yaml');
    expect(apiKey.params).toEqual([
      ['grant_type', 'api_key'],
      ['api_key', '{{ApiKey}}'],
      ['client_id', '{{ClientId}}'],
      ['client_secret', '{{ClientSecret}}'],
    ]);
    const tls = await plan('sap-x509.yaml');
    expect(tls.clientAuth).toEqual({ kind: 'tls' });
    expect(tls.params).toEqual([
      ['grant_type', 'client_credentials'],
      ['client_id', '{{ClientId}}'],
    ]);
    for (const p of [exchange, apiKey, tls]) expect([p.assertion, p.signer]).toEqual([null, null]);
  });

  it('the variables an assertion names go into the environment', async () => {
    const spec = await load('salesforce-jwt-bearer.yaml');
    const [variant] = spec.variants;
    if (!variant) throw new Error('no variant');
    expect(variablesUsedBy(spec, variant)).toEqual([
      'LoginUrl',
      'ConsumerKey',
      'Username',
      'PrivateKey',
      'InstanceUrl',
    ]);
  });
});

describe('token plan: a client certificate (specs/sap-ai-core.yaml x509)', () => {
  it('declares Certificate and PrivateKey (the key secret) but does not require them before sending', async () => {
    const loaded = await loadSpec(new URL('../../specs/sap-ai-core.yaml', import.meta.url).pathname);
    if (!loaded.spec) throw new Error(JSON.stringify(loaded.problems));
    const spec = loaded.spec;
    const x509 = spec.variants.find((v) => v.key === 'x509');
    if (!x509) throw new Error('no x509 variant');
    expect(variablesUsedBy(spec, x509)).toEqual(
      expect.arrayContaining(['CertUrl', 'ClientId', 'Certificate', 'PrivateKey']),
    );
    expect(variablesUsedBy(spec, x509)).not.toContain('ClientSecret');
    const p = planTokenRequests(spec).find((plan) => plan.variant === 'x509');
    expect(p?.required).toEqual(['CertUrl', 'ClientId']);
    expect(p?.params).toEqual([
      ['grant_type', 'client_credentials'],
      ['client_id', '{{ClientId}}'],
    ]);
    expect(p?.secrets).toContain('PrivateKey');
  });
});
