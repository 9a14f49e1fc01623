/** A form's fields by name, the first value of each. */
export type Fields = Record<string, string>;

export type ParsedMultipart = { ok: true; fields: Fields } | { ok: false; problem: string };

/**
 * Token requests carry a handful of small text fields, so splitting the buffer on the boundary is
 * enough. Working in latin1 keeps every byte intact; values are turned back into UTF-8 at the end.
 */
export function parseMultipart(contentType: string, body: Buffer): ParsedMultipart {
  const boundary = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) return { ok: false, problem: 'multipart body without boundary' };

  const text = body.toString('latin1');
  const segments = text.split(`--${marker}`);
  if (segments.length < 2) return { ok: false, problem: 'multipart boundary not found in body' };

  const fields: Fields = {};
  for (const segment of segments.slice(1)) {
    if (segment.startsWith('--')) break;
    const part = parsePart(segment);
    if (part && !Object.hasOwn(fields, part.name)) fields[part.name] = part.value;
  }
  return { ok: true, fields };
}

function parsePart(segment: string): { name: string; value: string } | undefined {
  const content = segment.replace(/^\r?\n/, '');
  const crlf = content.indexOf('\r\n\r\n');
  const lf = content.indexOf('\n\n');
  const headerEnd = crlf >= 0 ? crlf : lf;
  if (headerEnd < 0) return undefined;
  const headers = content.slice(0, headerEnd);
  const name = /content-disposition:[^\n]*?\bname=(?:"([^"]*)"|([^;\s]+))/i.exec(headers);
  const fieldName = name?.[1] ?? name?.[2];
  if (fieldName === undefined) return undefined;
  const raw = content.slice(headerEnd + (crlf >= 0 ? 4 : 2)).replace(/\r?\n$/, '');
  return {
    name: Buffer.from(fieldName, 'latin1').toString('utf8'),
    value: Buffer.from(raw, 'latin1').toString('utf8'),
  };
}
