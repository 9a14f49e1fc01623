import { request as httpsRequest } from 'node:https';
import { decodeJwt, type JWTPayload } from 'jose';

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: assertions read arbitrary JSON fields.
  json: any;
}

export async function call(url: string, init: RequestInit = {}): Promise<HttpResult> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export function postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return call(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

export function postJson(url: string, value: unknown, headers: Record<string, string> = {}) {
  return call(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(value),
  });
}

/** What curl -u and Postman send. */
export function basicRaw(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/** RFC 6749 §2.3.1: both parts form-urlencoded before base64. */
export function basicRfc(id: string, secret: string): string {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

export function bearer(token: string, scheme = 'Bearer'): Record<string, string> {
  return { authorization: `${scheme} ${token}` };
}

export function claimsOf(token: unknown): JWTPayload {
  if (typeof token !== 'string') throw new TypeError(`expected a JWT string, got ${typeof token}`);
  return decodeJwt(token);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface TlsClientOptions {
  /** The CA the server certificate must chain to. */
  ca: string;
  /** Client certificate and key, PEM; omitted: the handshake goes without one. */
  cert?: string;
  key?: string;
}

/** A urlencoded POST over HTTPS with an optional client certificate (fetch cannot send one). */
export function postFormTls(
  url: string,
  fields: Record<string, string>,
  tls: TlsClientOptions,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  const body = new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: 'POST',
        ca: tls.ca,
        ...(tls.cert ? { cert: tls.cert } : {}),
        ...(tls.key ? { key: tls.key } : {}),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(Buffer.byteLength(body)),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (typeof value === 'string') responseHeaders.set(name, value);
          }
          resolve({ status: res.statusCode ?? 0, headers: responseHeaders, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
