import { createHash } from 'node:crypto';

// RFC 4122 name-based UUID (version 5, SHA-1). The postman-collection SDK gives anything without an
// id a random v4 UUID, so every id is derived from the spec id and the item's path instead: building
// an unchanged spec twice gives the same bytes.
const TOKENMAN_NAMESPACE = Buffer.from('6f1c3c2a9d1e4b5c8a7f0e2d4c6b8a90', 'hex');

export function stableId(...path: string[]): string {
  const hash = createHash('sha1').update(TOKENMAN_NAMESPACE).update(path.join('\u0000')).digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
