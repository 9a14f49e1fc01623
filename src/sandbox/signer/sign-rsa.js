// Entry of rsa.bundle.js: RS256 and PS256 (RFC 7518 sections 3.3 and 3.5).
import { sha256 } from '@noble/hashes/sha2.js';
import { mgf1, PKCS1_SHA256, PSS } from 'micro-rsa-dsa-dh/rsa.js';
import { readRsaKey } from './read-rsa-key.js';
import { createSignJwt } from './sign-jwt.js';
import { signerError } from './signer-error.js';
import { CERTIFICATE_THUMBPRINTS } from './thumbprint-certificate.js';

/** @param {string} alg @param {import('micro-rsa-dsa-dh/rsa.js').IPKCS} scheme */
function signRsa(alg, scheme) {
  return (/** @type {string} */ text, /** @type {Uint8Array} */ input) => {
    const { n, e, d } = readRsaKey(text);
    let signature;
    try {
      signature = scheme.sign({ n, d }, input);
    } catch {
      throw signerError(`${alg} signing failed with this RSA private key (are its numbers intact?).`);
    }
    // A key whose d does not belong to n and e signs garbage; say so here rather than leave the
    // user with a vendor's opaque invalid_client.
    if (!scheme.verify({ n, e }, input, signature))
      throw signerError(
        `the RSA private key is damaged or inconsistent: its ${alg} signature fails its own public key.`,
      );
    return signature;
  };
}

// RFC 7518 section 3.5: MGF1 with the same hash, and a salt as long as the hash (32 bytes).
const PS256 = PSS(sha256, mgf1(sha256), 32);

// Declared by the bundle's banner (scripts/build-signer.mjs): the one name the bundle defines.
tokenmanSignJwt = createSignJwt(
  { RS256: signRsa('RS256', PKCS1_SHA256), PS256: signRsa('PS256', PS256) },
  CERTIFICATE_THUMBPRINTS,
);
