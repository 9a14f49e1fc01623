import { readInteger, readOid, readTlv } from './read-der.js';

/**
 * RFC 5208 PrivateKeyInfo: SEQUENCE { version, AlgorithmIdentifier SEQUENCE { algorithm OID,
 * parameters }, privateKey OCTET STRING, ... }.
 * @param {Uint8Array} der
 * @returns {{ algorithm: string, parameters: Uint8Array, privateKey: Uint8Array }} OIDs as hex
 */
export function unwrapPkcs8(der) {
  const info = readTlv(0x30, der).v;
  const version = readInteger(info);
  const identifier = readTlv(0x30, version.rest);
  const algorithm = readOid(identifier.v);
  return { algorithm: algorithm.oid, parameters: algorithm.rest, privateKey: readTlv(0x04, identifier.l).v };
}
