import type { Position } from '../spec/problem.js';

// What a pasted curl or HTTPie command asks for, before anything is inferred from it: the same
// shape for both tools, so inference does not care which one the documentation used.

export interface PastedField {
  name: string;
  value: string;
  /** The word the field came from. */
  at: Position;
}

export type PastedBody =
  | { kind: 'none' }
  | { kind: 'urlencoded' | 'form-data'; fields: PastedField[] }
  | { kind: 'json'; value: unknown; at: Position };

export interface PastedRequest {
  /** What described the request: a pasted command, or init's own options. */
  tool: 'curl' | 'HTTPie' | 'options';
  /** As written (-X, or HTTPie's METHOD); undefined leaves it to the body. */
  method?: string;
  url: string;
  urlAt: Position;
  headers: PastedField[];
  /** `-u id:secret`, `-a id:secret`. */
  basicUser?: PastedField;
  body: PastedBody;
  /** curl -G: the data goes into the query of a GET. */
  dataInQuery: boolean;
  /** -k / --verify=no. */
  insecure: boolean;
  /**
   * curl --cert/-E (with --key), HTTPie --cert: the client proves itself with a certificate at the
   * TLS layer. Only that it does: the files are never read, and their paths never kept.
   */
  clientCertificate?: boolean;
  /** Options that were read past and why. */
  notes: string[];
}

/** A problem in the pasted text, at the word it is about. */
export interface PasteProblem {
  message: string;
  hint?: string;
  at: Position;
}

export type PasteResult = { ok: true; value: PastedRequest } | { ok: false; problem: PasteProblem };

export function fail(message: string, at: Position, hint?: string): { ok: false; problem: PasteProblem } {
  return { ok: false, problem: hint ? { message, hint, at } : { message, at } };
}

/** Where a client certificate and its key go instead of the spec. */
export const CERTIFICATE_HOME =
  'configure them in Postman (Settings → Certificates, for the token host) and in newman run (--ssl-client-cert-list)';
