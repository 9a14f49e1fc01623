import { base64 } from '@scure/base';
import { signerError } from './signer-error.js';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/**
 * The DER bytes of the first PEM block in `text` whose label is one of `labels`.
 * Tolerates how PEM text arrives in a Postman variable: real or literal `\n` / `\r\n` (pasted from a
 * JSON service-account key), spaces instead of line breaks, other blocks before or after it (an
 * `EC PARAMETERS` block, a certificate chain).
 * @param {unknown} text
 * @param {string} what - names the input in errors, e.g. "the private key"
 * @param {string[]} labels
 * @returns {{ label: string, der: Uint8Array }}
 */
export function readPem(text, what, labels) {
  if (typeof text !== 'string' || text.trim() === '') throw signerError(`${what} is empty or not set.`);
  const found = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const label = match[1] ?? '';
    const body = match[2] ?? '';
    if (!labels.includes(label)) {
      found.push(label);
      continue;
    }
    if (/Proc-Type:|DEK-Info:/.test(body))
      throw signerError(`${what} is encrypted; tokenman needs it unencrypted (${labels.join(' or ')}).`);
    return { label, der: decodeBody(body, what) };
  }
  const expected = labels.map((label) => `-----BEGIN ${label}-----`).join(' or ');
  if (found.includes('ENCRYPTED PRIVATE KEY'))
    throw signerError(`${what} is an encrypted PKCS#8 key; tokenman needs it unencrypted (${expected}).`);
  if (found.length > 0)
    throw signerError(`${what} is a PEM "${found.join('", "')}" block; expected ${expected}.`);
  throw signerError(`${what} is not PEM text; expected a block from ${expected} to its END line.`);
}

/** @param {string} body @param {string} what */
function decodeBody(body, what) {
  // Literal backslash escapes first, then every kind of white space: neither occurs in base64.
  const compact = body.replace(/\\+[rn]/g, '').replace(/\s+/g, '');
  try {
    return base64.decode(compact);
  } catch {
    throw signerError(`${what} has a PEM body that is not valid base64 (cut short or edited?).`);
  }
}
