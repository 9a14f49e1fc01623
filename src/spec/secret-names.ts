// What a name says about its value: a parameter, header or query field by one of these names carries
// a secret (an API key, a client assertion, a password). `tokenman init` leaves such values out of
// the spec it writes, and the validator warns when a spec writes one out. A guess from the name, so
// the validator warns rather than refuses.
export const SECRET_NAME =
  /secret|passw|pwd|token|api[-_]?key|(^|[-_])key$|subscription[-_]?key|assertion|credential|signature|private|authorization|cookie/i;

// A name that ends in _type or _hint names a kind of value, not the value: client_assertion_type,
// requested_token_type and token_type_hint carry a fixed URN or word that every user sends alike.
const NAMES_A_KIND = /[-_](type|hint)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NAMES_A_KIND.test(name);
}
