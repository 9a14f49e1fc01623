// Entry of hmac.bundle.js: HS256 (RFC 7518 section 3.2) for client_secret_jwt.
//
// HMAC comes from @noble/hashes, not from the sandbox's crypto-js: that costs 6.8 KB minified
// (2.7 KB gzipped; the bundle without it measured 6.5 KB), and buys a bundle that needs nothing
// from its host, so the same bytes are proven in Node and in Newman, and do not depend on which
// crypto-js major a Postman version ships (tokenman has no crypto-js to test against in Node).
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { createSignJwt, utf8 } from './sign-jwt.js';
import { signerError } from './signer-error.js';

/** @param {string} secret - the client secret; its UTF-8 bytes are the HMAC key @param {Uint8Array} input */
function signHs256(secret, input) {
  if (typeof secret !== 'string' || secret === '') throw signerError('the HS256 secret is empty or not set.');
  return hmac(sha256, utf8(secret), input);
}

// Declared by the bundle's banner (scripts/build-signer.mjs): the one name the bundle defines.
tokenmanSignJwt = createSignJwt({ HS256: signHs256 });
