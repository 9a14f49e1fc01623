import { basicCredentialReadings } from './basic-auth.js';
import { type Fields, firstValues, parseBody } from './body.js';
import type { ClientRegistry } from './client-registry.js';
import type { TokenRequest } from './dialects/dialect.js';

export interface TokenFormResult {
  form: Fields;
  /** Set when the body could not be read; the dialect words the rejection. */
  problem?: string;
  bodyKind: string;
}

/**
 * Normalises any request shape into the urlencoded fields the OAuth engine reads: body (JSON,
 * multipart, urlencoded), optionally the query string, and HTTP Basic client credentials.
 */
export function readTokenForm(
  request: TokenRequest,
  registry: ClientRegistry,
  options: { includeQuery: boolean },
): TokenFormResult {
  const parsed = parseBody(request.headers['content-type'], request.body);
  const fields: Fields = {
    ...(options.includeQuery ? firstValues(request.query) : {}),
    ...(parsed.ok ? parsed.fields : {}),
  };
  const form = withBasicCredentials(dropEmpty(fields), request.headers.authorization, registry);
  return parsed.ok
    ? { form, bodyKind: parsed.kind }
    : { form, bodyKind: parsed.kind, problem: parsed.problem };
}

/** Postman sends unset variables as empty fields; to OAuth an empty parameter is an absent one. */
function dropEmpty(fields: Fields): Fields {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== ''));
}

function withBasicCredentials(
  form: Fields,
  authorization: string | undefined,
  registry: ClientRegistry,
): Fields {
  const readings = basicCredentialReadings(authorization);
  const chosen = readings.find((r) => registry.authenticates(r.clientId, r.clientSecret)) ?? readings[0];
  if (!chosen) return form;
  const { client_secret: _ignored, ...rest } = form;
  const result: Fields = { ...rest, client_id: chosen.clientId };
  if (chosen.clientSecret !== undefined) result.client_secret = chosen.clientSecret;
  return result;
}
