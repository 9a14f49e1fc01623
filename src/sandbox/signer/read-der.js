import { DER } from '@noble/curves/abstract/der.js';
import { bytesToHex } from '@noble/hashes/utils.js';

// Thin names over @noble/curves' DER reader (strict: no indefinite or non-minimal lengths, no
// negative or non-minimal integers). Each returns the value and the bytes left after it.

/** @param {number} tag @param {Uint8Array} data @returns {{ v: Uint8Array, l: Uint8Array }} */
export function readTlv(tag, data) {
  return DER._tlv.decode(tag, data);
}

/** @param {Uint8Array} data @returns {{ value: bigint, rest: Uint8Array }} */
export function readInteger(data) {
  const tlv = readTlv(0x02, data);
  return { value: DER._int.decode(tlv.v), rest: tlv.l };
}

/** An OBJECT IDENTIFIER as the hex of its content bytes. @param {Uint8Array} data */
export function readOid(data) {
  const tlv = readTlv(0x06, data);
  return { oid: bytesToHex(tlv.v), rest: tlv.l };
}
