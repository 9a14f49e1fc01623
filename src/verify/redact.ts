// Newman's reporters write what was sent and received: a json report holds request bodies (client
// secrets, passwords) and token responses. Every report tokenman writes passes through here first.

const REDACTED = '[redacted by tokenman]';
// Three base64url parts, the first a JSON header: any JWT, whichever token field it came from.
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const AUTHORIZATION = /((?:Basic|Bearer)\s+)[A-Za-z0-9._~+/=-]{8,}/gi;

export function redactText(text: string, secrets: readonly string[]): string {
  let out = text.replace(JWT, REDACTED).replace(AUTHORIZATION, `$1${REDACTED}`);
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}

function isBufferJson(value: unknown): value is { type: 'Buffer'; data: number[] } {
  return (
    value !== null &&
    typeof value === 'object' &&
    (value as { type?: unknown }).type === 'Buffer' &&
    Array.isArray((value as { data?: unknown }).data)
  );
}

/** Redacts every string in a JSON value, and the bytes of serialised Buffers (response streams). */
export function redactJson(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (isBufferJson(value)) {
    const text = Buffer.from(value.data).toString('utf8');
    const redacted = redactText(text, secrets);
    return redacted === text ? value : { type: 'Buffer', data: [...Buffer.from(redacted, 'utf8')] };
  }
  if (Array.isArray(value)) return value.map((element) => redactJson(element, secrets));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, redactJson(v, secrets)]));
  }
  return value;
}
