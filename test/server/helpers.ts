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
