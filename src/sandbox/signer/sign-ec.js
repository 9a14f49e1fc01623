// Entry of ec.bundle.js: ES256 (RFC 7518 section 3.4).
import { p256 } from '@noble/curves/nist.js';
import { readEcKey } from './read-ec-key.js';
import { createSignJwt } from './sign-jwt.js';
import { signerError } from './signer-error.js';
import { CERTIFICATE_THUMBPRINTS } from './thumbprint-certificate.js';

// JWS wants the 64-byte r||s form ("compact"), not DER; noble hashes the input with SHA-256
// (prehash) and derives the nonce from key and message (RFC 6979), so no randomness is needed.
const ES256 = { prehash: true, format: 'compact' };

/** @param {string} text @param {Uint8Array} input */
function signEs256(text, input) {
  const d = readEcKey(text);
  let signature;
  let publicKey;
  try {
    signature = p256.sign(input, d, ES256);
    publicKey = p256.getPublicKey(d);
  } catch {
    throw signerError('ES256 signing failed: the EC private key is not a valid P-256 scalar.');
  }
  if (!p256.verify(signature, input, publicKey, ES256))
    throw signerError('ES256 signing failed: the signature does not verify with the key.');
  return signature;
}

// Declared by the bundle's banner (scripts/build-signer.mjs): the one name the bundle defines.
tokenmanSignJwt = createSignJwt({ ES256: signEs256 }, CERTIFICATE_THUMBPRINTS);
