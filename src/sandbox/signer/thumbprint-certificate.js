import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { base64urlnopad } from '@scure/base';
import { readPem } from './read-pem.js';

/** @param {(der: Uint8Array) => Uint8Array} digest */
function thumbprintWith(digest) {
  /** @param {unknown} text - PEM; the first CERTIFICATE block (the leaf of a chain) */
  return (text) => base64urlnopad.encode(digest(readPem(text, 'the certificate', ['CERTIFICATE']).der));
}

/**
 * The JOSE header members a certificate fills (RFC 7515 sections 4.1.7 and 4.1.8): base64url of the
 * SHA-1 (x5t) or SHA-256 (x5t#S256) digest of the certificate's DER bytes.
 */
export const CERTIFICATE_THUMBPRINTS = { x5t: thumbprintWith(sha1), 'x5t#S256': thumbprintWith(sha256) };
