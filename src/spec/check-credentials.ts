// Rules about the credentials beyond a client secret: signed assertions (RFC 7523 client_secret_jwt,
// private_key_jwt and the jwt-bearer grant), mutual TLS client authentication (RFC 8705), token
// exchange (RFC 8693) and IBM API Connect's api_key grant. Each runs on one variant's merged token
// request; check-semantics reports the findings once for every variant that breaks them.

import { SPEC_DEFAULTS } from './spec-defaults.js';
import type { TokenmanSpec, TokenRequest } from './spec-input.generated.js';
import { type PointAt, pathLabel, type SpecPath } from './spec-source.js';
import { templateReferences } from './template.js';
import { JWT_BEARER_GRANT, TOKEN_EXCHANGE_GRANT } from './types.js';

export interface Finding {
  ruleId: string;
  message: string;
  hint: string;
  at: PointAt;
}

/** The algorithms that sign with a private key (private_key_jwt, the jwt-bearer grant). */
export const PRIVATE_KEY_ALGS = ['RS256', 'PS256', 'ES256'];

/** What each grant alone needs, beyond the client: the field and the variable a spec usually names. */
const GRANT_FIELDS = {
  subjectToken: {
    grant: TOKEN_EXCHANGE_GRANT,
    variable: 'SubjectToken',
    param: 'subject_token',
    holds: 'a token',
  },
  subjectTokenType: { grant: TOKEN_EXCHANGE_GRANT, variable: '', param: 'subject_token_type', holds: '' },
  apiKey: { grant: 'api_key', variable: 'ApiKey', param: 'api_key', holds: 'an API key' },
} as const;

/**
 * The credential rules for one variant's merged token. `where` gives the path a field was written
 * at; `clientAuthAt` where to point about clientAuth (the token section when it is the default).
 */
export function checkCredentials(
  input: TokenmanSpec,
  token: TokenRequest,
  where: (field: string) => SpecPath,
  clientAuthAt: PointAt,
): Finding[] {
  const findings: Finding[] = [];
  const grant = token.grant ?? '';
  const clientAuth = token.clientAuth ?? SPEC_DEFAULTS.clientAuth;
  const section = pathLabel(where('grant').slice(0, -1));
  const assertion = token.assertion;
  const assertionPath = where('assertion');
  const assertionLabel = pathLabel(assertionPath);
  const bySecret = clientAuth === 'client_secret_jwt';
  const clientAssertion = bySecret || clientAuth === 'private_key_jwt';
  const bearerGrant = grant === JWT_BEARER_GRANT;
  const needsSignedKey = clientAuth === 'private_key_jwt' || bearerGrant;
  const add = (ruleId: string, message: string, hint: string, at: PointAt) =>
    findings.push({ ruleId, message, hint, at });

  for (const [field, rule] of Object.entries(GRANT_FIELDS)) {
    const value = token[field as keyof typeof GRANT_FIELDS];
    if (grant === rule.grant && value === undefined && rule.variable) {
      add(
        'missing-field',
        `grant "${grant}" needs ${field}`,
        `add ${field}: "{{${rule.variable}}}" to ${section}, with ${rule.variable} a secret variable: it is sent as ${rule.param}`,
        { path: where('grant') },
      );
    } else if (grant !== rule.grant && value !== undefined) {
      add(
        'unexpected-field',
        `${field} is set, but grant "${grant}" does not send it; it is for grant "${rule.grant}"`,
        `remove ${field}, or use grant: ${rule.grant}`,
        { path: where(field), key: true },
      );
    } else if (grant === rule.grant && value !== undefined && rule.variable) {
      const problem = secretReference(input, value, pathLabel(where(field)), rule.holds, rule.variable);
      if (problem) add('not-secret', problem.message, problem.hint, { path: where(field) });
    }
  }

  if ((clientAuth === 'tls' || clientAuth === 'private_key_jwt') && token.clientSecret !== undefined) {
    add(
      'unexpected-field',
      `clientSecret is set, but clientAuth "${clientAuth}" sends no secret`,
      clientAuth === 'tls'
        ? 'remove clientSecret: the client certificate authenticates the client'
        : 'remove clientSecret: the assertion signed with the private key authenticates the client',
      { path: where('clientSecret'), key: true },
    );
  }

  // Any clientAuth may have a client certificate: RFC 8705 §3 binds tokens to it whatever
  // authenticates the client, and some gateways ask for mutual TLS and a client secret both.
  const clientCertificate = token.clientCertificate;
  if (clientCertificate !== undefined) {
    const label = pathLabel(where('clientCertificate'));
    const keyProblem = secretReference(
      input,
      clientCertificate.key,
      `${label}.key`,
      'a private key',
      'PrivateKey',
    );
    if (keyProblem)
      add('not-secret', keyProblem.message, keyProblem.hint, {
        path: [...where('clientCertificate'), 'key'],
      });
    const refs = templateReferences(clientCertificate.certificate);
    if (refs.length !== 1 || clientCertificate.certificate.trim() !== `{{${refs[0]?.name}}}`) {
      add(
        'invalid-value',
        `${label}.certificate must be one {{Variable}}, which holds the PEM certificate (chain) each user has`,
        'declare a variable (Certificate: { description: "certificate of the service key" }) and write "{{Certificate}}"',
        { path: [...where('clientCertificate'), 'certificate'] },
      );
    }
  }

  if (bearerGrant && clientAssertion) {
    add(
      'assertion-conflict',
      `grant "${JWT_BEARER_GRANT}" and clientAuth "${clientAuth}" would each send an assertion, and a spec has one`,
      'use clientAuth: none (the assertion names the client), basic or body',
      clientAuthAt,
    );
    return findings;
  }

  if (assertion === undefined) {
    if (needsSignedKey) {
      add(
        'missing-field',
        `${bearerGrant ? `grant "${grant}"` : `clientAuth "${clientAuth}"`} needs assertion`,
        `add assertion: { alg: RS256, key: "{{PrivateKey}}" } to ${section}, with PrivateKey a secret variable holding the PEM private key`,
        bearerGrant ? { path: where('grant') } : clientAuthAt,
      );
    }
    return findings;
  }
  if (!clientAssertion && !bearerGrant) {
    add(
      'unexpected-field',
      `assertion is set, but neither clientAuth "${clientAuth}" nor grant "${grant}" sends one`,
      `use clientAuth: private_key_jwt or client_secret_jwt, or grant: ${JWT_BEARER_GRANT}; or remove assertion`,
      { path: assertionPath, key: true },
    );
    return findings;
  }

  if (typeof assertion === 'string') {
    const problem = secretReference(input, assertion, assertionLabel, 'an assertion', 'Assertion');
    if (problem) add('not-secret', problem.message, problem.hint, { path: assertionPath });
    return findings;
  }

  const at = (field: string): PointAt => ({ path: [...assertionPath, field] });
  if (bySecret && assertion.alg !== undefined && assertion.alg !== 'HS256') {
    add(
      'invalid-value',
      `${assertionLabel}.alg "${assertion.alg}" cannot be used with clientAuth "client_secret_jwt", which signs with the client secret (HS256)`,
      'remove alg (HS256 is the default), or use clientAuth: private_key_jwt to sign with a private key',
      at('alg'),
    );
  }
  if (!bySecret && assertion.alg !== undefined && !PRIVATE_KEY_ALGS.includes(assertion.alg)) {
    const by = bearerGrant ? `grant "${grant}"` : `clientAuth "${clientAuth}"`;
    add(
      'invalid-value',
      `${assertionLabel}.alg "${assertion.alg}" signs with a shared secret, but ${by} signs with a private key: use ${PRIVATE_KEY_ALGS.join(', ')}`,
      bearerGrant
        ? 'use RS256 (what Google and Salesforce take), PS256 or ES256'
        : 'use RS256, PS256 or ES256, or clientAuth: client_secret_jwt to sign with the client secret',
      at('alg'),
    );
  }
  if (bySecret && assertion.key !== undefined) {
    add(
      'unexpected-field',
      `${assertionLabel}.key is set, but clientAuth "client_secret_jwt" signs with clientSecret`,
      'remove key, or use clientAuth: private_key_jwt to sign with a private key',
      { path: [...assertionPath, 'key'], key: true },
    );
  }
  if (needsSignedKey && assertion.key === undefined) {
    add(
      'missing-field',
      `${assertionLabel} needs key, the private key that signs it`,
      `add key: "{{PrivateKey}}" to ${assertionLabel}, with PrivateKey a secret variable holding the PEM private key`,
      { path: assertionPath, key: true },
    );
  }
  if (assertion.key !== undefined) {
    const problem = secretReference(
      input,
      assertion.key,
      `${assertionLabel}.key`,
      'a private key',
      'PrivateKey',
    );
    if (problem) add('not-secret', problem.message, problem.hint, at('key'));
  }
  if (assertion.thumbprint !== undefined && assertion.certificate === undefined) {
    add(
      'missing-field',
      `${assertionLabel}.thumbprint needs certificate, whose thumbprint it is`,
      `add certificate: "{{Certificate}}" to ${assertionLabel}, a variable holding the PEM certificate of the key`,
      { path: [...assertionPath, 'thumbprint'], key: true },
    );
  }
  if (bearerGrant && assertion.issuer === undefined && token.clientId === undefined) {
    add(
      'missing-field',
      `${assertionLabel} needs issuer: grant "${grant}" has no clientId to default it to`,
      `add issuer: "{{ServiceAccountEmail}}" to ${assertionLabel}: who the assertion is from (Google: the service account's client_email; Salesforce: the connected app's consumer key)`,
      { path: assertionPath, key: true },
    );
  }
  return findings;
}

/**
 * A private key, an assertion, an API key or a subject token must come from one secret variable:
 * its value then stays out of every generated file and is blanked out of every message. A value
 * written out is check-secrets' to report (with the value masked), an undeclared name the
 * undefined-variable rule's.
 */
function secretReference(
  input: TokenmanSpec,
  template: string,
  label: string,
  what: string,
  example: string,
): { message: string; hint: string } | undefined {
  if (template.replace(/\{\{[^{}]*\}\}/g, '').trim() !== '') return undefined;
  const refs = templateReferences(template);
  const names = [...new Set(refs.map((ref) => ref.name))];
  if (names.length === 1 && refs.length === 1) {
    const name = names[0] as string;
    const variable = input.variables[name];
    if (variable === undefined || variable.secret === true) return undefined;
    return {
      message: `${label} must be a secret variable, as it holds ${what}; "${name}" is not secret`,
      hint: `add secret: true to variables.${name}, so its value is never written into an environment and is blanked out of every message`,
    };
  }
  return {
    message: `${label} must be one secret {{Variable}}, as it holds ${what}`,
    hint: `declare a secret variable (${example}: { secret: true }) and write "{{${example}}}"`,
  };
}
