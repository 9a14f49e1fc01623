// @ts-check
// A request that got no answer, in words: a client hands some errors over with only a code, and
// OpenSSL's codes and messages name no cause a user can act on.

/**
 * A TLS failure in words, or '' for another error: OpenSSL's codes and messages name no cause a user
 * can act on. Matched by Node's error code, or by OpenSSL's text when only the message comes.
 * @param {string} code
 * @param {string} text
 * @returns {string}
 */
export function tokenmanTlsWords(code, text) {
  /** @type {Array<[RegExp, string]>} */
  const known = [
    [
      /KEY_VALUES_MISMATCH|key values mismatch/i,
      'the client certificate and its private key do not belong together: take both from the same credentials',
    ],
    [
      /CERTIFICATE_REQUIRED|certificate required/i,
      'the server asks for a client certificate and none was sent: set one for this host and port (Postman: Settings > Certificates; newman: --ssl-client-cert-list; Bruno: client certificates)',
    ],
    [
      /ALERT_CERTIFICATE_EXPIRED|alert certificate expired/i,
      'the server refused the client certificate as expired: use a current one',
    ],
    [
      /ALERT_(BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE)|alert (bad certificate|unknown ca|certificate unknown)/i,
      'the server refused the client certificate: it does not trust the CA that issued it',
    ],
    [
      /PEM_NO_START_LINE|no start line|BAD_BASE64_DECODE|bad base64 decode/i,
      'the client certificate or key file is not PEM (-----BEGIN ...-----)',
    ],
    [
      /SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/i,
      "the server's certificate is not from a CA this client trusts: add that CA (newman: --ssl-extra-ca-certs) rather than turning TLS checks off",
    ],
    [/^CERT_HAS_EXPIRED$|certificate has expired/i, "the server's certificate has expired"],
    [/ERR_TLS_CERT_ALTNAME_INVALID|altnames/i, "the server's certificate is for another host name"],
  ];
  for (let i = 0; i < known.length; i++) {
    const entry = known[i];
    if (entry && (entry[0].test(code) || entry[0].test(text))) return entry[1];
  }
  return '';
}

/**
 * Words for a network error: a client hands some over without a message, only a code.
 * @param {any} error
 * @returns {string}
 */
export function tokenmanErrorText(error) {
  if (!error) return 'unknown error';
  const text = String(error.message || error.code || error.name || error);
  const code = error.code ? String(error.code) : '';
  const words = tokenmanTlsWords(code, text);
  return words ? `${words} (${code || text})` : text;
}
