import { readInteger, readOid, readTlv } from './read-der.js';
import { readPem } from './read-pem.js';
import { isSignerError, signerError } from './signer-error.js';
import { unwrapPkcs8 } from './unwrap-pkcs8.js';

const EC_PUBLIC_KEY = '2a8648ce3d0201'; // OID 1.2.840.10045.2.1
const P256 = '2a8648ce3d030107'; // OID 1.2.840.10045.3.1.7 (prime256v1, secp256r1)
const WHAT = 'the EC private key';

/**
 * The 32-byte secret scalar of a P-256 key in PKCS#8 ("PRIVATE KEY") or SEC1 ("EC PRIVATE KEY") PEM.
 * @param {unknown} text
 * @returns {Uint8Array}
 */
export function readEcKey(text) {
  const { label, der } = readPem(text, WHAT, ['PRIVATE KEY', 'EC PRIVATE KEY']);
  let key;
  try {
    key = label === 'PRIVATE KEY' ? ecOfPkcs8(der) : readSec1(der, undefined);
  } catch (error) {
    if (isSignerError(error)) throw error;
    throw signerError(`${WHAT} is not a well-formed ${label} structure (cut short or edited?).`);
  }
  if (key.curve !== P256) throw signerError(`${WHAT} is not on curve P-256; ES256 needs a P-256 key.`);
  if (key.d.length === 0 || key.d.length > 32) throw signerError(`${WHAT} is not a 32-byte P-256 scalar.`);
  // RFC 5915 fixes the length at 32 bytes, but some encoders drop leading zero bytes (one key in
  // 256 has one); the scalar is the same number, so put them back.
  const d = new Uint8Array(32);
  d.set(key.d, 32 - key.d.length);
  return d;
}

/** @param {Uint8Array} der */
function ecOfPkcs8(der) {
  const info = unwrapPkcs8(der);
  if (info.algorithm !== EC_PUBLIC_KEY)
    throw signerError(
      `${WHAT} is a PKCS#8 key of another algorithm (RSA or Ed25519?); this signer needs EC.`,
    );
  return readSec1(info.privateKey, readOid(info.parameters).oid);
}

/**
 * RFC 5915 ECPrivateKey: SEQUENCE { version 1, privateKey OCTET STRING, [0] curve OID OPTIONAL,
 * [1] publicKey OPTIONAL }; inside PKCS#8 the curve may only be in the AlgorithmIdentifier.
 * @param {Uint8Array} der
 * @param {string | undefined} curve
 */
function readSec1(der, curve) {
  const version = readInteger(readTlv(0x30, der).v);
  const d = readTlv(0x04, version.rest);
  const named = d.l.length > 0 && d.l[0] === 0xa0 ? readOid(readTlv(0xa0, d.l).v).oid : undefined;
  return { d: d.v, curve: named ?? curve };
}
