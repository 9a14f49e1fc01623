import type { ServerResponse } from 'node:http';

export interface HttpReply {
  status: number;
  body: string;
  contentType: string;
  headers?: Record<string, string>;
  /** The status line's reason phrase, when not the standard one: a refusal's words. */
  statusText?: string;
}

export function jsonReply(status: number, value: unknown, headers?: Record<string, string>): HttpReply {
  const reply: HttpReply = { status, body: JSON.stringify(value), contentType: 'application/json' };
  if (headers) reply.headers = headers;
  return reply;
}

export function sendReply(res: ServerResponse, reply: HttpReply): void {
  // A fault delay can outlive the connection (client gave up, server closing); writing then would throw.
  if (res.headersSent || res.destroyed) return;
  const headers = {
    ...reply.headers,
    'content-type': reply.contentType,
    'content-length': String(Buffer.byteLength(reply.body)),
    'cache-control': 'no-store',
  };
  if (reply.statusText) res.writeHead(reply.status, reply.statusText, headers);
  else res.writeHead(reply.status, headers);
  res.end(reply.body);
}
