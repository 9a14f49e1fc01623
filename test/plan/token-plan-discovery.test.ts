import { describe, expect, it } from 'vitest';
import { specArtifacts } from '../../src/pipeline/spec-artifacts.js';
import { planTokenRequests } from '../../src/plan/token-plan.js';
import { variablesUsedBy } from '../../src/plan/variables-used.js';
import { loadSpec } from '../../src/spec/load-spec.js';
import type { Spec } from '../../src/spec/types.js';

async function load(name: string): Promise<Spec> {
  const result = await loadSpec(new URL(`../fixtures/valid/discovery/${name}`, import.meta.url).pathname);
  expect(result.problems).toEqual([]);
  if (!result.spec) throw new Error(JSON.stringify(result.problems));
  return result.spec;
}

describe('token plan: OpenID Connect discovery', () => {
  it('sends to {{TokenEndpoint}}, read from the document, which the user never has to fill', async () => {
    const spec = await load('keycloak-discovery.yaml');
    const [secret, signed] = planTokenRequests(spec);
    expect(secret?.url).toBe('{{TokenEndpoint}}');
    expect(secret?.discovery).toEqual({
      url: '{{KeycloakUrl}}/realms/{{Realm}}/.well-known/openid-configuration',
      fields: ['token_endpoint'],
    });
    // The document's variables must be set; the endpoint is the script's to fill.
    expect(secret?.required).toEqual(
      expect.arrayContaining(['KeycloakUrl', 'Realm', 'ClientId', 'ClientSecret']),
    );
    expect(secret?.required).not.toContain('TokenEndpoint');
    // A signed assertion is meant for the endpoint read at run time (RFC 7523 section 3).
    expect(signed?.assertion).toMatchObject({ audience: '{{TokenEndpoint}}' });
    expect(variablesUsedBy(spec, spec.variants[0] as Spec['variants'][number])).toEqual([
      'KeycloakUrl',
      'Realm',
      'ClientId',
      'ClientSecret',
    ]);
  });

  it('with clientAuth tls, the mTLS alias comes first, token_endpoint after (RFC 8705 section 5)', async () => {
    const [plan] = planTokenRequests(await load('sap-x509-discovery.yaml'));
    expect(plan?.discovery?.fields).toEqual(['mtls_endpoint_aliases.token_endpoint', 'token_endpoint']);
  });

  it('a spec with url has no discovery, and its environments no discovery variables', async () => {
    const result = await loadSpec(new URL('../../specs/sap-ai-core.yaml', import.meta.url).pathname);
    const spec = result.spec as Spec;
    expect(planTokenRequests(spec)[0]?.discovery).toBeNull();
    expect(specArtifacts(spec)[1]?.content).not.toContain('TokenEndpoint');
  });

  it('the environment of a discovery variant starts with TokenEndpoint and TokenDiscovery empty', async () => {
    const spec = await load('keycloak-discovery.yaml');
    const environment = JSON.parse(specArtifacts(spec)[1]?.content ?? '{}') as {
      values: Array<{ key: string; value: string }>;
    };
    const values = Object.fromEntries(environment.values.map((v) => [v.key, v.value]));
    expect(values.TokenEndpoint).toBe('');
    expect(values.TokenDiscovery).toBe('');
  });
});
