import { readInteger, readTlv } from './read-der.js';
import { readPem } from './read-pem.js';
import { isSignerError, signerError } from './signer-error.js';
import { unwrapPkcs8 } from './unwrap-pkcs8.js';

const RSA_ENCRYPTION = '2a864886f70d010101'; // OID 1.2.840.113549.1.1.1
const WHAT = 'the RSA private key';

/**
 * n, e and d of an RSA private key in PKCS#8 ("PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY") PEM.
 * The CRT values are not read: micro-rsa-dsa-dh signs with n and d.
 * @param {unknown} text
 * @returns {{ n: bigint, e: bigint, d: bigint }}
 */
export function readRsaKey(text) {
  const { label, der } = readPem(text, WHAT, ['PRIVATE KEY', 'RSA PRIVATE KEY']);
  let key;
  try {
    key = readPkcs1(label === 'PRIVATE KEY' ? rsaOfPkcs8(der) : der);
  } catch (error) {
    if (isSignerError(error)) throw error;
    throw signerError(`${WHAT} is not a well-formed ${label} structure (cut short or edited?).`);
  }
  // RFC 7518 section 3.3 requires 2048 bits or more, and jose and the vendors refuse smaller keys.
  const bits = key.n.toString(2).length;
  if (bits < 2048) throw signerError(`${WHAT} has ${bits} bits; RS256 and PS256 need at least 2048.`);
  return key;
}

/** @param {Uint8Array} der */
function rsaOfPkcs8(der) {
  const info = unwrapPkcs8(der);
  if (info.algorithm !== RSA_ENCRYPTION)
    throw signerError(
      `${WHAT} is a PKCS#8 key of another algorithm (EC or Ed25519?); this signer needs RSA.`,
    );
  return info.privateKey;
}

/** RFC 8017 RSAPrivateKey: SEQUENCE { version, n, e, d, p, q, dp, dq, qinv }. @param {Uint8Array} der */
function readPkcs1(der) {
  const version = readInteger(readTlv(0x30, der).v);
  const n = readInteger(version.rest);
  const e = readInteger(n.rest);
  const d = readInteger(e.rest);
  return { n: n.value, e: e.value, d: d.value };
}
