import type { RequestPlan } from '../plan/request-plan.js';
import type { DocumentOperation } from '../spec/api/list-operations.js';
import { type SelectionEntry, selectOperations } from '../spec/api/select-operations.js';
import type { OperationSelection } from '../spec/spec-input.generated.js';
import type { ApiOperation, Spec } from '../spec/types.js';

// Which requests of a spec a verify run sends. The spec's own requests always; of its API
// document's operations, locally every one, and against the vendor only those that change nothing
// (GET, HEAD, OPTIONS) and whose path parameters all have values, unless the user says otherwise:
// `--operations` (written as `api.include` is) chooses them instead, and an operation that changes
// data (POST, PUT, PATCH, DELETE) goes to a vendor only with `--allow-writes`.

/** The methods that change nothing on the vendor's side. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface OperationChoice {
  /** `--operations`: the operations to run instead of the default ones. */
  operations?: OperationSelection | undefined;
  /** `--allow-writes`: operations that change data may be sent to the vendor. */
  allowWrites?: boolean | undefined;
}

/** A request a run leaves out, and why, in words. */
export interface SkippedRequest {
  request: RequestPlan;
  reason: string;
}

export function changesData(method: string): boolean {
  return !READ_METHODS.has(method.toUpperCase());
}

/** The shape selectOperations reads of an operation. */
function asDocumentOperation(operation: Pick<ApiOperation, 'method' | 'path' | 'operationId' | 'tags'>) {
  return {
    method: operation.method,
    path: operation.path,
    operationId: operation.operationId,
    tags: operation.tags,
    operation: {},
    parameters: [],
  } satisfies DocumentOperation;
}

/** Whether `--operations` selects an operation. */
function chosen(selection: OperationSelection, operation: RequestPlan['operation']): boolean {
  if (!operation) return true;
  return selectOperations([asDocumentOperation(operation)], selection, undefined).operations.length === 1;
}

/**
 * The requests of a run left out, and why: `values` are the run's filled environment, whose empty
 * path-parameter variables would send a request to a path with a hole in it.
 */
export function skippedRequests(
  spec: Spec,
  requests: readonly RequestPlan[],
  options: { local: boolean; choice: OperationChoice; values: Record<string, string> },
): SkippedRequest[] {
  const { local, choice, values } = options;
  const byKey = new Map((spec.api?.operations ?? []).map((o) => [`${o.method} ${o.path}`, o]));
  const skipped: SkippedRequest[] = [];
  for (const request of requests) {
    const operation = request.operation;
    if (!operation) continue;
    if (choice.operations && !chosen(choice.operations, operation)) {
      skipped.push({ request, reason: 'not in --operations' });
      continue;
    }
    if (local) continue;
    if (changesData(operation.method) && !choice.allowWrites) {
      skipped.push({ request, reason: 'changes data, --allow-writes sends it' });
      continue;
    }
    const empty = (byKey.get(`${operation.method} ${operation.path}`)?.pathParameters ?? []).filter(
      (parameter) => !values[parameter.variable],
    );
    if (empty.length)
      skipped.push({
        request,
        reason: `${empty.map((p) => p.variable).join(', ')} ${empty.length > 1 ? 'have' : 'has'} no value`,
      });
  }
  return skipped;
}

/** How many operations of one reason a line names before it counts the rest. */
const NAMED_PER_REASON = 4;

/**
 * One line of what a spec's run left out, by reason: `okta: 3 of 7 operations not sent; changes
 * data, --allow-writes sends it: POST /api/v1/users, DELETE /api/v1/users/{id}; UserId has no
 * value: GET /api/v1/users/{id}`. Of hundreds, a few of each reason are named and the rest counted.
 */
export function skippedLine(specId: string, skipped: readonly SkippedRequest[], operations: number): string {
  const byReason = new Map<string, string[]>();
  for (const { request, reason } of skipped) {
    const list = byReason.get(reason) ?? [];
    list.push(`${request.operation?.method} ${request.operation?.path}`);
    byReason.set(reason, list);
  }
  const parts = [...byReason].map(([reason, list]) => {
    const named = list.slice(0, NAMED_PER_REASON).join(', ');
    const more = list.length > NAMED_PER_REASON ? ` and ${list.length - NAMED_PER_REASON} more` : '';
    return `${reason}: ${named}${more}`;
  });
  return `${specId}: ${skipped.length} of ${operations} operations not sent; ${parts.join('; ')}`;
}

/**
 * The operations `--operations` selects that change data, for a verify against the vendor without
 * `--allow-writes`: such a run is refused before anything is sent.
 */
export function selectedWrites(spec: Spec, selection: OperationSelection): ApiOperation[] {
  return (spec.api?.operations ?? []).filter(
    (operation) => changesData(operation.method) && chosen(selection, operation),
  );
}

/** The entries of `--operations` that select no operation of any of these specs. */
export function unmatchedEntries(specs: readonly Spec[], selection: OperationSelection): SelectionEntry[] {
  const all = specs.flatMap((spec) => (spec.api?.operations ?? []).map(asDocumentOperation));
  return selectOperations(all, selection, undefined).unmatchedIncludes;
}
