import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString,
  boolean,
  explicit,
  namedBits,
  nullValue,
  objectIdentifier,
  octetString,
  sequence,
  set,
  smallInteger,
  time,
  tlv,
  unsignedInteger,
  utf8String,
} from './der.js';

/** A PEM certificate with its unencrypted PKCS#8 PEM private key. */
export interface CertificateAndKey {
  cert: string;
  key: string;
}

export interface CertificateSubject {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
}

export interface ClientCertificateOptions {
  /** A common name, or the attributes of the subject DN. */
  subject: string | CertificateSubject;
  /** Default: five minutes ago, so a client clock a little behind still accepts it. */
  notBefore?: Date;
  /** Default: one day after notBefore. A date in the past makes an expired certificate. */
  notAfter?: Date;
  /**
   * Certify this public key (PEM, or a KeyObject) instead of a fresh P-256 one, e.g. the RSA key a
   * client signs assertions with; the returned `key` is then empty, since the caller holds it.
   */
  publicKey?: string | KeyObject;
}

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** A fresh certificate authority for one server run: P-256, valid for a day. */
export function createCertificateAuthority(commonName = 'tokenman test CA'): CertificateAndKey {
  const { privateKey, publicKey } = newKeyPair();
  const name = encodeName({ commonName, organization: 'tokenman' });
  const cert = buildCertificate({
    subject: name,
    issuer: name,
    subjectKey: publicKey,
    issuerKey: privateKey,
    ...validity(undefined, undefined),
    extensions: [
      extension(OID.basicConstraints, true, sequence(boolean(true))),
      // keyCertSign and cRLSign.
      extension(OID.keyUsage, true, namedBits(Buffer.from([0x06]))),
      extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(publicKey))),
    ],
  });
  return { cert, key: pem(privateKey) };
}

/** A TLS server certificate for these host names and IP addresses, signed by the authority. */
export function issueServerCertificate(ca: CertificateAndKey, hosts: string[]): CertificateAndKey {
  const { privateKey, publicKey } = newKeyPair();
  const names = hosts.map((host) =>
    isIP(host) === 4
      ? tlv(0x87, Buffer.from(host.split('.').map(Number)))
      : tlv(0x82, Buffer.from(host, 'ascii')),
  );
  const cert = buildLeaf(ca, { commonName: hosts[0] ?? 'localhost' }, publicKey, OID.serverAuth, [
    extension(OID.subjectAltName, false, sequence(...names)),
  ]);
  return { cert, key: pem(privateKey) };
}

/** A TLS client certificate (extended key usage clientAuth) signed by the authority. */
export function issueClientCertificate(
  ca: CertificateAndKey,
  options: ClientCertificateOptions,
): CertificateAndKey {
  const subject = typeof options.subject === 'string' ? { commonName: options.subject } : options.subject;
  const given = options.publicKey;
  const pair = given === undefined ? newKeyPair() : undefined;
  const publicKey = pair?.publicKey ?? (typeof given === 'string' ? createPublicKey(given) : given);
  if (!publicKey) throw new TypeError('no public key to certify');
  const cert = buildLeaf(ca, subject, publicKey, OID.clientAuth, [], options.notBefore, options.notAfter);
  return { cert, key: pair ? pem(pair.privateKey) : '' };
}

function buildLeaf(
  ca: CertificateAndKey,
  subject: CertificateSubject,
  publicKey: KeyObject,
  purpose: string,
  extra: Buffer[],
  notBefore?: Date,
  notAfter?: Date,
): string {
  const caKey = createPrivateKey(ca.key);
  return buildCertificate({
    subject: encodeName(subject),
    // Chains are built by comparing names byte for byte, so the issuer is copied from the CA itself.
    issuer: subjectNameOf(ca.cert),
    subjectKey: publicKey,
    issuerKey: caKey,
    ...validity(notBefore, notAfter),
    extensions: [
      extension(OID.basicConstraints, true, sequence()),
      // digitalSignature and keyEncipherment.
      extension(OID.keyUsage, true, namedBits(Buffer.from([0xa0]))),
      extension(OID.extKeyUsage, false, sequence(objectIdentifier(purpose))),
      extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(publicKey))),
      extension(
        OID.authorityKeyIdentifier,
        false,
        sequence(tlv(0x80, keyIdentifier(createPublicKey(caKey)))),
      ),
      ...extra,
    ],
  });
}

interface CertificateParts {
  subject: Buffer;
  issuer: Buffer;
  subjectKey: KeyObject;
  issuerKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  extensions: Buffer[];
}

function buildCertificate(parts: CertificateParts): string {
  const algorithm = signatureAlgorithm(parts.issuerKey);
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const tbs = sequence(
    explicit(0, smallInteger(2)),
    unsignedInteger(serial),
    algorithm,
    parts.issuer,
    sequence(time(parts.notBefore), time(parts.notAfter)),
    parts.subject,
    parts.subjectKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...parts.extensions)),
  );
  const signature = sign('sha256', tbs, parts.issuerKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  // Parsing it back proves the encoding before a TLS handshake would fail obscurely.
  return new X509Certificate(der).toString();
}

function signatureAlgorithm(key: KeyObject): Buffer {
  if (key.asymmetricKeyType === 'ec') return sequence(objectIdentifier(OID.ecdsaWithSha256));
  if (key.asymmetricKeyType === 'rsa') return sequence(objectIdentifier(OID.sha256WithRsa), nullValue());
  throw new TypeError(`cannot sign certificates with a ${key.asymmetricKeyType ?? 'secret'} key`);
}

function encodeName(subject: CertificateSubject): Buffer {
  const attributes: Array<[string, string | undefined]> = [
    [OID.organization, subject.organization],
    [OID.organizationalUnit, subject.organizationalUnit],
    [OID.commonName, subject.commonName],
  ];
  return sequence(
    ...attributes
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([oid, value]) => set(sequence(objectIdentifier(oid), utf8String(value)))),
  );
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(objectIdentifier(oid), ...(critical ? [boolean(true)] : []), octetString(value));
}

/** RFC 5280 §4.2.1.2 method 1 (as OpenSSL computes it): SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const [, keyBits] = childrenOf(spki, readTlv(spki, 0));
  if (!keyBits) throw new TypeError('public key has no key bits');
  return createHash('sha1')
    .update(spki.subarray(keyBits.contentStart + 1, keyBits.end))
    .digest();
}

/** The DER subject Name of a PEM certificate: tbsCertificate's sixth field (after [0] version). */
function subjectNameOf(certPem: string): Buffer {
  const der = new X509Certificate(certPem).raw;
  const [tbs] = childrenOf(der, readTlv(der, 0));
  if (!tbs) throw new TypeError('certificate without tbsCertificate');
  const fields = childrenOf(der, tbs);
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0;
  const subject = fields[offset + 4];
  if (!subject) throw new TypeError('certificate without subject');
  return der.subarray(subject.start, subject.end);
}

interface Tlv {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

function readTlv(buffer: Buffer, start: number): Tlv {
  const tag = buffer[start] ?? 0;
  let length = buffer[start + 1] ?? 0;
  let contentStart = start + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (buffer[contentStart + i] ?? 0);
    contentStart += count;
  }
  return { tag, start, contentStart, end: contentStart + length };
}

function childrenOf(buffer: Buffer, parent: Tlv): Tlv[] {
  const children: Tlv[] = [];
  for (let offset = parent.contentStart; offset < parent.end; ) {
    const child = readTlv(buffer, offset);
    children.push(child);
    offset = child.end;
  }
  return children;
}

function validity(notBefore: Date | undefined, notAfter: Date | undefined) {
  const start = notBefore ?? new Date(Date.now() - 5 * 60 * 1000);
  return { notBefore: start, notAfter: notAfter ?? new Date(start.getTime() + DAY_MS) };
}

// P-256: a key pair takes a millisecond, where RSA-2048 takes a good part of a second.
function newKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

function pem(privateKey: KeyObject): string {
  return String(privateKey.export({ type: 'pkcs8', format: 'pem' }));
}
