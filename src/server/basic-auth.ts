export interface ClientCredentials {
  clientId: string;
  clientSecret?: string;
}

/**
 * Readings of an HTTP Basic header, most likely first: the raw `id:secret` that curl -u and Postman
 * send, then the RFC 6749 §2.3.1 reading with both parts form-urlencoded. XSUAA ids contain `!` and
 * `|`, which only the second reading would carry percent-encoded.
 */
export function basicCredentialReadings(authorization: string | undefined): ClientCredentials[] {
  const match = /^basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return [];
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const rawId = colon < 0 ? decoded : decoded.slice(0, colon);
  const rawSecret = colon < 0 ? undefined : decoded.slice(colon + 1);
  const readings = [credentials(rawId, rawSecret)];
  const formId = formDecode(rawId);
  const formSecret = rawSecret === undefined ? undefined : formDecode(rawSecret);
  const secretDecodes = rawSecret === undefined || formSecret !== undefined;
  if (formId !== undefined && secretDecodes && (formId !== rawId || formSecret !== rawSecret)) {
    readings.push(credentials(formId, formSecret));
  }
  return readings;
}

function credentials(clientId: string, clientSecret: string | undefined): ClientCredentials {
  return clientSecret === undefined || clientSecret === '' ? { clientId } : { clientId, clientSecret };
}

function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
