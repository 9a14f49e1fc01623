// Stands in for `globalThis` inside the signer bundles: scripts/build-signer.mjs defines every
// `globalThis` of the bundled libraries as this object, because Newman's sandbox has no globalThis.
// The only library code that reads it is @noble/hashes' randomBytes, which micro-rsa-dsa-dh calls for
// the PS256 salt; sign-jwt.js points `crypto` at get-random-bytes.js before each signature, so the
// salt comes from the same source as everything else the signer draws.
export const signerHost = { crypto: undefined };
