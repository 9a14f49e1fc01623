// A variant runs the pre-steps that fill what it sends, and no others: API Connect's realm
// discovery for the password grant, which sends the realm, not for the api_key grant.
import { describe, expect, it } from 'vitest';
import { planTokenRequests } from '../../src/plan/token-plan.js';
import { variablesUsedBy } from '../../src/plan/variables-used.js';
import { loadSpec, parseSpec } from '../../src/spec/load-spec.js';
import type { Spec } from '../../src/spec/types.js';

async function specAt(path: string): Promise<Spec> {
  const { spec, problems } = await loadSpec(new URL(path, import.meta.url).pathname);
  if (!spec) throw new Error(JSON.stringify(problems));
  return spec;
}

describe('the pre-steps each variant runs', () => {
  it("API Connect: the realm discovery for password only, and api-key's environment without its variables", async () => {
    const spec = await specAt('../../specs/ibm-api-connect.yaml');
    const steps = Object.fromEntries(
      planTokenRequests(spec).map((plan) => [plan.variant, plan.preSteps.map((step) => step.name)]),
    );
    expect(steps).toEqual({ password: ['Discover the realm'], 'api-key': [] });
    const apiKey = spec.variants.find((v) => v.key === 'api-key');
    if (!apiKey) throw new Error('no api-key variant');
    expect(variablesUsedBy(spec, apiKey)).not.toContain('ApicRealm');
    expect(variablesUsedBy(spec, apiKey)).not.toContain('ApicScope');
  });

  it('keeps a step that fills what a later kept step needs, in spec order', () => {
    const text = `name: x
variables:
  AuthUrl: {}
  ClientId: {}
  Secret:
    secret: true
  Region:
    optional: true
  Tenant:
    optional: true
  Unused:
    optional: true
preSteps:
  - name: Find the region
    url: "{{AuthUrl}}/regions"
    set:
      Region: default
  - name: Find the tenant
    url: "{{AuthUrl}}/{{Region}}/tenants"
    set:
      Tenant: default
  - name: Find nothing anyone uses
    url: "{{AuthUrl}}/other"
    set:
      Unused: value
token:
  url: "{{AuthUrl}}/oauth/token"
  grant: client_credentials
  clientId: "{{ClientId}}"
  clientSecret: "{{Secret}}"
  params:
    tenant: "{{Tenant}}"
`;
    const { spec, problems } = parseSpec(text, 'x.yaml');
    if (!spec) throw new Error(JSON.stringify(problems));
    const [plan] = planTokenRequests(spec);
    expect(plan?.preSteps.map((step) => step.name)).toEqual(['Find the region', 'Find the tenant']);
  });
});
