import type { X509Certificate } from 'node:crypto';
import type { ClientCertificateMatch } from './types.js';

/** What the mTLS listener learnt from the handshake; absent on the plain listener. */
export interface PresentedCertificate {
  certificate: X509Certificate | undefined;
  /** The certificate chains to the server's CA and is within its validity. */
  authorized: boolean;
  /** OpenSSL's reason when not authorized, e.g. CERT_HAS_EXPIRED. */
  error: string | undefined;
}

export type CertificateProblem =
  | 'no_certificate'
  | 'expired_certificate'
  | 'untrusted_certificate'
  | 'certificate_mismatch';

/** RFC 8705 §2.1.2 tls_client_auth: a trusted certificate naming the registered subject or thumbprint. */
export function checkClientCertificate(
  presented: PresentedCertificate | undefined,
  match: ClientCertificateMatch,
): CertificateProblem | undefined {
  const certificate = presented?.certificate;
  if (!presented || !certificate) return 'no_certificate';
  if (!presented.authorized) {
    return presented.error === 'CERT_HAS_EXPIRED' || presented.error === 'CERT_NOT_YET_VALID'
      ? 'expired_certificate'
      : 'untrusted_certificate';
  }
  if (
    match.thumbprintSha256 !== undefined &&
    normaliseThumbprint(match.thumbprintSha256) !== hex(certificate)
  ) {
    return 'certificate_mismatch';
  }
  if (match.subject !== undefined && normaliseDn(match.subject) !== normaliseDn(certificate.subject)) {
    return 'certificate_mismatch';
  }
  return undefined;
}

function hex(certificate: X509Certificate): string {
  return certificate.fingerprint256.replace(/:/g, '').toLowerCase();
}

/** Hex with or without colons, or base64url as the JOSE `x5t#S256` header and RFC 8705 `cnf` write it. */
export function normaliseThumbprint(thumbprint: string): string {
  const trimmed = thumbprint.trim();
  if (/^[0-9a-f:]+$/i.test(trimmed) && trimmed.replace(/:/g, '').length === 64) {
    return trimmed.replace(/:/g, '').toLowerCase();
  }
  return Buffer.from(trimmed, 'base64url').toString('hex');
}

/**
 * A DN as a sorted set of `TYPE=value`: node writes one attribute per line in encoding order,
 * vendors show `CN=x, O=y` or `/O=y/CN=x`; for telling test clients apart the order is noise.
 */
export function normaliseDn(dn: string): string {
  return dn
    .split(/\n|,(?=\s*[A-Za-z][A-Za-z0-9.]*=)|\/(?=[A-Za-z][A-Za-z0-9.]*=)/)
    .map((part) => part.trim())
    .filter((part) => part.includes('='))
    .map((part) => {
      const equals = part.indexOf('=');
      return `${part.slice(0, equals).trim().toUpperCase()}=${part.slice(equals + 1).trim()}`;
    })
    .sort()
    .join(',');
}
