// Contract mode: the API documents the server holds a run's requests to. Each is given for a
// client (the run's), with the base path its collection puts before every operation's path; a
// request with that client's token is checked against that document, and one without a token
// against every document, for an operation that needs none (`security: []`). A path no document
// describes (a spec's own request to another service) is answered as before: token checked only.
import { needsNoToken } from '../../spec/api/read-api.js';
import type { HttpReply } from '../reply.js';
import { checkRequest, type SentRequest } from './check-request.js';
import { exampleAnswer } from './example-answer.js';
import { type RouteMatch, RouteTable } from './route-table.js';

export interface ApiContract {
  /** The API document in the OpenAPI 3 shape src/spec/api reads it in, its `$ref`s inside it. */
  document: Record<string, unknown>;
  /** What stands before each operation's path on this server: `/admin/realms`; '' for nothing. */
  basePath: string;
}

export interface ApiCall extends Omit<SentRequest, 'pathValues'> {
  method: string;
  path: string;
}

type OperationMatch = Extract<RouteMatch, { kind: 'operation' }>;

/** A request's place in a document: its operation, or a path the document has with other methods. */
export type ContractMatch =
  | { contract: ApiContract; match: OperationMatch; noToken: boolean }
  | { contract: ApiContract; match: Extract<RouteMatch, { kind: 'other-method' }>; noToken: false };

export class ApiContracts {
  readonly #byClient = new Map<string, ApiContract[]>();
  readonly #tables = new WeakMap<object, RouteTable>();

  add(clientId: string, contract: ApiContract): void {
    const list = this.#byClient.get(clientId) ?? [];
    if (!list.some((c) => c.document === contract.document && c.basePath === contract.basePath))
      list.push(contract);
    this.#byClient.set(clientId, list);
  }

  /** Whether a client's calls are held to a document. */
  has(clientId: string): boolean {
    return this.#byClient.has(clientId);
  }

  /** Where a client's request stands in its documents; undefined for a path none describes. */
  matchFor(clientId: string, call: Pick<ApiCall, 'method' | 'path'>): ContractMatch | undefined {
    for (const contract of this.#byClient.get(clientId) ?? []) {
      const found = this.#match(contract, call);
      if (found) return found;
    }
    return undefined;
  }

  /** The operation of any document a request without a token is, when that operation needs none. */
  tokenlessMatch(call: Pick<ApiCall, 'method' | 'path'>): ContractMatch | undefined {
    for (const list of this.#byClient.values()) {
      for (const contract of list) {
        const found = this.#match(contract, call);
        if (found?.noToken) return found;
      }
    }
    return undefined;
  }

  #match(contract: ApiContract, call: Pick<ApiCall, 'method' | 'path'>): ContractMatch | undefined {
    let table = this.#tables.get(contract.document);
    if (!table) {
      table = new RouteTable(contract.document);
      this.#tables.set(contract.document, table);
    }
    const match = table.match(call.method, call.path, contract.basePath);
    if (match.kind === 'none') return undefined;
    if (match.kind === 'other-method') return { contract, match, noToken: false };
    return { contract, match, noToken: needsNoToken(contract.document, match.operation.operation) };
  }
}

/** The answer to a call of a document's operation: its refusal in the document's words, or its example. */
export function answerContractCall(found: ContractMatch, call: ApiCall): HttpReply {
  const { contract, match } = found;
  if (match.kind === 'other-method') {
    return refusal(405, `${call.method} ${match.path}`, [
      `the API document has no ${call.method} for this path, only ${match.methods.join(', ')}`,
    ]);
  }
  const { operation } = match;
  const refused = checkRequest(contract.document, operation, { ...call, pathValues: match.pathValues });
  if (refused) return refusal(refused.status, `${operation.method} ${operation.path}`, refused.faults);
  return exampleAnswer(contract.document, operation, call.method);
}

/**
 * A refusal whose words say what the document wants, in the JSON body and in the status line's
 * reason phrase, which is what a runner's failed check of the status shows.
 */
function refusal(status: number, operation: string, faults: string[]): HttpReply {
  const words = `${operation}: ${faults.join('; ')}`;
  return {
    status,
    body: JSON.stringify({ error: 'not_as_documented', error_description: words }),
    contentType: 'application/json',
    statusText: words.replace(/[^\x20-\x7e]/g, '?').slice(0, 400),
  };
}
