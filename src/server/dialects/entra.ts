import { randomUUID } from 'node:crypto';
import type { AssertionFailure, AssertionPolicy } from '../assertions.js';
import { issueWithClientAuthentication } from '../client-authentication.js';
import type { EngineFailure } from '../oauth-engine.js';
import { type HttpReply, jsonReply } from '../reply.js';
import { readTokenForm } from '../token-form.js';
import type { TokenDialect } from './dialect.js';

const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;

/**
 * Microsoft Entra ID v2.0 token endpoint: client_credentials with a client secret or a certificate
 * assertion (`x5t#S256` header, PS256 or RS256, `aud` = this token URL), a `/.default` scope, and
 * AADSTS-numbered errors with trace and correlation ids.
 */
export const entra: TokenDialect = {
  name: 'entra',

  matches(method, path) {
    return method === 'POST' && TOKEN_PATH.test(path);
  },

  parse(request, deps) {
    const { form, problem } = readTokenForm(request, deps.registry, { includeQuery: false });
    return problem
      ? {
          form,
          reject: aadError(400, 'invalid_request', 900144, `The request body is unreadable: ${problem}`),
        }
      : { form };
  },

  async answer(form, request, deps) {
    const tenant = TOKEN_PATH.exec(request.path)?.[1] ?? '';
    const tokenUrl = `${request.origin}${request.path}`;
    if (form.client_id === undefined) {
      return aadError(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'client_id'.",
      );
    }
    if (form.grant_type === 'client_credentials') {
      if (form.scope === undefined) {
        return aadError(
          400,
          'invalid_request',
          900144,
          "The request body must contain the following parameter: 'scope'.",
        );
      }
      // Learn: the client credentials flow takes only the resource's `.default` scope.
      if (!form.scope.split(' ').every((scope) => scope.endsWith('/.default'))) {
        return aadError(
          400,
          'invalid_scope',
          1002012,
          `The provided value for scope ${form.scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        );
      }
    }
    const result = await issueWithClientAuthentication(form, request, deps, policy(tokenUrl), {
      issuer: `${request.origin}/${tenant}/v2.0`,
      idTokenOnOpenid: false,
    });
    if (result.kind === 'refused') {
      return result.auth.kind === 'assertion_failed'
        ? assertionReply(result.auth.failure, tenant, deps.clock.nowMs())
        : aadError(
            401,
            'invalid_client',
            70002,
            'Error validating credentials. The client certificate was not accepted.',
          );
    }
    const { outcome } = result;
    if (!outcome.ok)
      return failureReply(outcome.failure, form, tenant, deps.registry.get(form.client_id ?? ''));
    return jsonReply(200, {
      token_type: 'Bearer',
      expires_in: outcome.tokens.expiresIn,
      ext_expires_in: outcome.tokens.expiresIn,
      access_token: outcome.tokens.accessToken,
    });
  },
};

function policy(tokenUrl: string): AssertionPolicy {
  return {
    audiences: [tokenUrl],
    // Learn's certificate-credentials page: "Should be PS256"; earlier revisions used RS256.
    algorithms: ['PS256', 'RS256'],
    // Microsoft's token libraries allow five minutes of clock skew.
    leewaySeconds: 300,
    // Learn: exp "5-10 minutes after nbf at most".
    maxLifetimeSeconds: 600,
    requireJti: true,
    // Learn lists the certificate thumbprint among the required header parameters.
    keyHint: 'x5t',
  };
}

/**
 * Wording of 700016, 700023, 700024, 700027 and 7000215/7000216 as quoted in public issue threads;
 * 50027, 700021, 5002738 and the replay answer have no capture here and follow the same pattern.
 */
function assertionReply(failure: AssertionFailure, tenant: string, nowMs: number): HttpReply {
  switch (failure.problem) {
    case 'unknown_client':
      return unknownApplication(failure.clientId ?? '', tenant);
    case 'assertion_type':
      return aadError(400, 'invalid_request', 90011, 'Unexpected client assertion type.');
    case 'malformed':
      return aadError(401, 'invalid_client', 50027, 'JWT token is invalid or malformed.');
    case 'missing_subject':
    case 'issuer_subject':
    case 'client_id_mismatch':
      return aadError(
        401,
        'invalid_client',
        700021,
        "Client assertion application identifier doesn't match 'client_id' parameter.",
      );
    case 'algorithm':
      return aadError(
        401,
        'invalid_client',
        5002738,
        "Invalid JWT token. The signature algorithm is not supported. Supported signing algorithms are: 'PS256, RS256'",
      );
    case 'key_not_found':
      return aadError(
        401,
        'invalid_client',
        700027,
        'Client assertion contains an invalid signature. [Reason - The key was not found.]',
      );
    case 'signature':
      return aadError(
        401,
        'invalid_client',
        700027,
        'Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value.]',
      );
    case 'audience':
      return aadError(
        401,
        'invalid_client',
        700023,
        'Client assertion audience claim does not match Realm issuer. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .',
      );
    case 'missing_jti':
    case 'replayed':
      return aadError(401, 'invalid_client', 70002, `Error validating credentials. ${failure.detail}.`);
    default:
      return aadError(
        401,
        'invalid_client',
        700024,
        `Client assertion is not within its valid time range. Current time: ${aadTime(nowMs)}, ${failure.detail}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials`,
      );
  }
}

function failureReply(
  failure: EngineFailure,
  form: Record<string, string>,
  tenant: string,
  client: { clientId: string } | undefined,
): HttpReply {
  switch (failure.reason) {
    case 'client':
      if (!client) return unknownApplication(form.client_id ?? '', tenant);
      if (form.client_secret === undefined) {
        return aadError(
          401,
          'invalid_client',
          7000216,
          "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
        );
      }
      return aadError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client.clientId}'.`,
      );
    case 'scope':
      return aadError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${form.scope ?? ''} is not valid.`,
      );
    case 'unsupported_grant':
      return aadError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    case 'unauthorized_grant':
      return aadError(
        400,
        'unauthorized_client',
        700016,
        'The client is not authorized for this grant type.',
      );
    case 'server':
      return aadError(500, 'server_error', 90033, failure.description);
    default:
      return aadError(400, failure.error, 900144, failure.description);
  }
}

function unknownApplication(clientId: string, tenant: string): HttpReply {
  return aadError(
    400,
    'unauthorized_client',
    700016,
    `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  );
}

/** The v2.0 endpoint's error body: the code leads the description and repeats in error_codes. */
function aadError(status: number, error: string, code: number, message: string): HttpReply {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return jsonReply(status, {
    error,
    error_description: `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  });
}

/** AADSTS700024 writes times with seven fractional digits. */
function aadTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}
