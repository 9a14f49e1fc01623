import { readFileSync } from 'node:fs';
import type { SignerFamily } from '../types.js';

// How a generated token script carries the prebuilt JWT signers (README.md here): the same for
// Postman's pre-request script and Bruno's before-request script, which both read tokenmanSigners.

// Resolved from the package root so the same path works from src/ (tests) and build/ (the CLI).
const SIGNER_DIR = new URL('../../../src/sandbox/signer/', import.meta.url);
const cachedSigners = new Map<SignerFamily, string>();

function signerText(family: SignerFamily): string {
  let text = cachedSigners.get(family);
  if (text === undefined) {
    text = readFileSync(new URL(`${family}.bundle.js`, SIGNER_DIR), 'utf8').replace(/\n$/, '');
    cachedSigners.set(family, text);
  }
  return text;
}

/** The families a script's variants sign with, each once, in a stable order; nulls sign nothing. */
export function signerFamiliesOf(signers: Iterable<SignerFamily | null>): SignerFamily[] {
  const families = [...signers].filter((family): family is SignerFamily => family !== null);
  return [...new Set(families)].sort();
}

/**
 * The script pieces that define tokenmanSigners: each family's bundle, followed by the line that
 * keeps its one function (every bundle defines tokenmanSignJwt) under its family. Only the given
 * families: a spec that signs nothing carries none, and gets no pieces at all.
 */
export function signerScriptPieces(families: SignerFamily[]): string[] {
  if (families.length === 0) return [];
  return [
    'var tokenmanSigners = {};',
    ...families.flatMap((family) => [signerText(family), `tokenmanSigners.${family} = tokenmanSignJwt;`]),
  ];
}
